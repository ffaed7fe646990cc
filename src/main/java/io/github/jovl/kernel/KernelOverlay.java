package io.github.jovl.kernel;

import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FsException;
import io.github.jovl.sys.Native;
import java.nio.file.Path;

/** Mounts and unmounts kernel overlayfs through mount(2) and umount2(2), without running mount(8). */
public final class KernelOverlay {
    /** The mount source: how `jovl mounts` recognises kernel overlays that jovl made. */
    public static final String SOURCE = "jovl";
    private static final int MNT_DETACH = 2;

    private KernelOverlay() {
    }

    public static void mount(KernelOptions options, Path mountpoint) throws FsException {
        String data = options.data();
        if (data.length() > KernelOptions.MAX_DATA) {
            throw FsException.withMessage(Errno.E2BIG, mountpoint.toString(), "the kernel overlay options are "
                    + data.length() + " bytes, more than mount(2) takes (" + KernelOptions.MAX_DATA
                    + "); use shorter layer paths or --backend=fuse");
        }
        Native.mount(SOURCE, mountpoint.toAbsolutePath().toString(), "overlay", 0, data);
    }

    /** Unmounts; lazy detaches even while files are open, as `umount -l` does. */
    public static void unmount(Path mountpoint, boolean lazy) throws FsException {
        Native.umount(mountpoint.toAbsolutePath().toString(), lazy ? MNT_DETACH : 0);
    }
}
