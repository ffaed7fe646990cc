package io.github.jovl.it;

import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FsException;
import io.github.jovl.scenario.Mounter;
import io.github.jovl.sys.Native;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Kernel overlayfs as the oracle, mounted with mount(2) directly (not through jovl's own kernel package, so a bug
 * there cannot bend the oracle). The options pin the semantics jovl implements: no redirect_dir (a lower
 * directory cannot be renamed: EXDEV), no index, no metacopy, whatever the module defaults on the host.
 */
public final class KernelMounter implements Mounter {
    private static final int MNT_DETACH = 2;
    public static final String OPTIONS = "redirect_dir=off,index=off,metacopy=off";

    @Override
    public String name() {
        return "kernel";
    }

    @Override
    public void mount(List<Path> lowersTopFirst, Path upper, Path work, Path mountpoint) throws Exception {
        Native.mount("overlay", mountpoint.toAbsolutePath().toString(), "overlay", 0,
                data(lowersTopFirst, upper, work));
    }

    /** The mount(2) data string; test paths never need the kernel's '\' escaping, so such a path is refused. */
    public static String data(List<Path> lowersTopFirst, Path upper, Path work) {
        List<String> parts = new ArrayList<>();
        if (!lowersTopFirst.isEmpty()) {
            List<String> ls = new ArrayList<>();
            for (Path l : lowersTopFirst) {
                ls.add(plain(l));
            }
            parts.add("lowerdir=" + String.join(":", ls));
        }
        if (upper != null) {
            parts.add("upperdir=" + plain(upper));
        }
        if (work != null) {
            parts.add("workdir=" + plain(work));
        }
        parts.add(OPTIONS);
        return String.join(",", parts);
    }

    private static String plain(Path p) {
        String s = p.toAbsolutePath().toString();
        if (s.contains(":") || s.contains(",") || s.contains("\\")) {
            throw new IllegalArgumentException("test path needs escaping in overlay options: " + s);
        }
        return s;
    }

    /** Unmounts; if something still holds the mount (EBUSY), detaches it so nothing stays behind. */
    @Override
    public void unmount(Path mountpoint) throws Exception {
        String mnt = mountpoint.toAbsolutePath().toString();
        try {
            Native.umount(mnt, 0);
        } catch (FsException e) {
            if (e.errno() != Errno.EBUSY) {
                throw e;
            }
            Native.umount(mnt, MNT_DETACH);
        }
    }
}
