package io.github.jovl.scenario;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Any {@link Mounter} as a scenario backend: each run mounts the materialised layers on scratch/mnt and drives it
 * with real system calls; closing the driver unmounts. Adding a backend (FUSE...) is one Mounter and one of these.
 *
 * @param emptiesWorkdir whether workdir/work must be empty after the run (false for the kernel, which keeps its
 *                       shared whiteout inode there)
 */
public record MountedBackend(Mounter mounter, boolean emptiesWorkdir) implements Runner.Backend {
    @Override
    public String name() {
        return mounter.name();
    }

    @Override
    public String markerPrefix() {
        return mounter.opaquePrefix();
    }

    @Override
    public Driver open(LayerDirs dirs, Path scratch) throws Exception {
        return new MountedDriver(mounter, dirs, Files.createDirectories(scratch.resolve("mnt")));
    }
}
