package io.github.jovl.it;

import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FsException;
import io.github.jovl.scenario.Mounter;
import io.github.jovl.sys.Native;
import java.nio.file.Path;
import java.util.List;

/**
 * Kernel overlayfs as the oracle, mounted with mount(2) directly (not through jovl's own kernel package, so a bug
 * there cannot bend the oracle). The options pin the semantics jovl implements: no redirect_dir (a lower
 * directory cannot be renamed: EXDEV), no index, no metacopy, whatever the module defaults on the host.
 */
public final class KernelMounter implements Mounter {
    private static final int MNT_DETACH = 2;
    public static final String OPTIONS = "redirect_dir=off,index=off,metacopy=off";
    /**
     * The same semantics for a userxattr mount, the form an unprivileged kernel mount uses: the kernel refuses
     * userxattr beside redirect_dir=off where the module's redirect_always_follow turns off into follow.
     */
    public static final String USERXATTR_OPTIONS = "userxattr,redirect_dir=nofollow,index=off,metacopy=off";

    @Override
    public String name() {
        return "kernel";
    }

    @Override
    public void mount(List<Path> lowersTopFirst, Path upper, Path work, Path mountpoint) throws Exception {
        Native.mount("overlay", mountpoint.toAbsolutePath().toString(), "overlay", 0,
                data(lowersTopFirst, upper, work));
    }

    /** The mount(2) data string: the layers and the options that pin the semantics. */
    public static String data(List<Path> lowersTopFirst, Path upper, Path work) {
        return LayerOptions.of(lowersTopFirst, upper, work) + "," + OPTIONS;
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
