package io.github.jovl.mount;

import io.github.jovl.config.MountOptions;
import io.github.jovl.fs.FsException;
import java.nio.file.Path;

/** Mounts an overlay with the chosen backend; the handle is usable when this returns. */
public final class Mounter {
    private Mounter() {
    }

    public static MountHandle mount(Backend backend, MountOptions options, Path mountpoint, MountSettings s)
            throws FsException {
        return switch (backend) {
            case FUSE -> FuseMount.start(options, mountpoint, s.singleThreaded(), s.debug(), s.timeout(), s.log());
        };
    }
}
