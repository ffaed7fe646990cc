package io.github.jovl.mount;

import io.github.jovl.config.MountOptions;
import io.github.jovl.fs.FsException;
import java.nio.file.Path;
import java.util.List;

/** Mounts an overlay with the chosen backend; the handle is usable when this returns. */
public final class Mounter {
    private Mounter() {
    }

    /** backend KERNEL or FUSE (resolve AUTO with {@link BackendChoice} first, to say why). */
    public static MountHandle mount(Backend backend, MountOptions options, Path mountpoint, MountSettings s)
            throws FsException {
        return mount(backend, options, mountpoint, s, List.of());
    }

    public static MountHandle mount(Backend backend, MountOptions options, Path mountpoint, MountSettings s,
                                    List<String> kernelExtras) throws FsException {
        return switch (backend) {
            case FUSE -> FuseMount.start(options, mountpoint, s.singleThreaded(), s.debug(), s.timeout(), s.log(),
                    s.events());
            case KERNEL -> KernelMount.start(options, mountpoint, kernelExtras);
            // the choice is made by the caller, which is where its one-line reason is printed
            case AUTO -> throw new IllegalArgumentException("resolve --backend=auto with BackendChoice first");
        };
    }
}
