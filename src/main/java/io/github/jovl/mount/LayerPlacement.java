package io.github.jovl.mount;

import io.github.jovl.config.MountOptions;
import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FsException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the mountpoint may be relative to the layers. The kernel overlay holds references to its layers, so it
 * can be mounted over one of them (`lowerdir=/usr ... /usr`). The engine reaches its layers by path, so once
 * the mount covers a layer every access would come back into the mount itself: refused. A mountpoint inside a
 * layer works, but that layer then shows the mount where the kernel would show the empty directory below it.
 */
final class LayerPlacement {
    private LayerPlacement() {
    }

    static void check(MountOptions o, Path mnt, PrintStream err) throws FsException {
        List<Path> layers = new ArrayList<>(o.lowers());
        if (o.upper() != null) {
            layers.add(o.upper());
            layers.add(o.work());
        }
        for (Path l : layers) {
            Path real = real(l);
            if (real.startsWith(mnt)) {
                throw FsException.withMessage(Errno.EINVAL, mnt.toString(), "cannot mount on " + mnt
                        + ": it would cover the layer " + l + ", which jovl reads by path; mount somewhere else");
            }
            if (mnt.startsWith(real)) {
                err.println("jovl: warning: the mountpoint " + mnt + " lies inside the layer " + l
                        + "; that directory shows the mount itself in the merged view");
            }
        }
    }

    /** Layers that do not exist are reported by the engine's own checks, with their own message. */
    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    /** The mountpoint as a real path; it must exist and be a directory. */
    static Path existingMountpoint(Path mountpoint) throws FsException {
        Path abs = mountpoint.toAbsolutePath().normalize();
        try {
            Path real = abs.toRealPath();
            if (!Files.isDirectory(real)) {
                throw FsException.withMessage(Errno.ENOTDIR, abs.toString(), "mountpoint " + abs
                        + " is not a directory");
            }
            return real;
        } catch (IOException e) {
            throw FsException.withMessage(Errno.ENOENT, abs.toString(), "mountpoint " + abs + " does not exist;"
                    + " create it with mkdir first");
        }
    }
}
