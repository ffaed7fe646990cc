package io.github.jovl.mount;

import io.github.jovl.config.MountOptions;
import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FsException;
import io.github.jovl.kernel.KernelOptions;
import io.github.jovl.kernel.KernelOverlay;
import io.github.jovl.sys.Native;
import io.github.jovl.union.Overlay;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A kernel overlayfs mount made for jovl: mount(2) with the user's layers and the options that pin jovl's
 * semantics (no redirect_dir, index or metacopy, whatever the module defaults), recorded like a FUSE mount.
 * No daemon: the kernel serves it, and closing the handle unmounts.
 */
public final class KernelMount implements MountHandle {
    /** What the FUSE engine implements: a lower directory cannot be renamed (EXDEV), no index, no metacopy. */
    static final List<String> SEMANTICS = List.of("redirect_dir=off", "index=off", "metacopy=off");
    private static final long MS_RDONLY = 1;

    private final Path mountpoint;
    private final long mountId;
    private volatile boolean closed;

    private KernelMount(Path mountpoint, long mountId) {
        this.mountpoint = mountpoint;
        this.mountId = mountId;
    }

    public static KernelMount start(MountOptions o, Path mountpoint, List<String> extras) throws FsException {
        // the engine's mount-time checks give each problem a sentence; mount(2) would only say ENOENT or EINVAL
        Overlay.check(o.overlayConfig());
        Path mnt = LayerPlacement.existingMountpoint(mountpoint);
        LayerPlacement.check(o, mnt, System.err);
        List<String> opts = new ArrayList<>(SEMANTICS);
        opts.addAll(extras);
        KernelOptions k = new KernelOptions(o.lowers(), o.upper(), o.work(), opts);
        String data = k.data();
        if (data.length() > KernelOptions.MAX_DATA) {
            throw FsException.withMessage(Errno.E2BIG, mnt.toString(), "the kernel overlay options are "
                    + data.length() + " bytes, more than mount(2) takes; use --backend=fuse");
        }
        Native.mount(KernelOverlay.SOURCE, mnt.toString(), "overlay", o.readOnly() ? MS_RDONLY : 0, data);
        try {
            MountTable.Entry e = MountTable.read().top(mnt);
            KernelMount m = new KernelMount(mnt, e.id());
            MountRecords.save(new MountRecords.Record(mnt, "kernel", o.lowers(), o.upper(), o.work(), e.id()));
            return m;
        } catch (IOException | RuntimeException e) {
            KernelOverlay.unmount(mnt, true);
            throw new FsException(Errno.EIO, mnt.toString(), "mounted but could not record it: " + e);
        }
    }

    @Override
    public Path mountpoint() {
        return mountpoint;
    }

    @Override
    public void awaitUnmounted() throws InterruptedException {
        while (!closed) {
            try {
                if (MountTable.read().byId(mountId) == null) {
                    return;
                }
            } catch (IOException e) {
                return;
            }
            Thread.sleep(200);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (MountTable.read().byId(mountId) != null) {
                try {
                    KernelOverlay.unmount(mountpoint, false);
                } catch (FsException e) {
                    KernelOverlay.unmount(mountpoint, true); // busy: detach, as FUSE mounts are
                }
            }
        } catch (IOException e) {
            // already gone, or nothing more we can do; the record is dropped either way
        }
        MountRecords.remove(mountpoint);
    }
}
