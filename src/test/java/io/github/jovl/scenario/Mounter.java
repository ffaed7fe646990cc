package io.github.jovl.scenario;

import java.nio.file.Path;
import java.util.List;

/**
 * Puts a merged view of layers on a mountpoint and takes it off again: kernel overlayfs (the oracle), jovl over
 * FUSE, or anything else that mounts. A {@link MountedDriver} then runs a scenario there with real syscalls.
 */
public interface Mounter {
    /** For failure messages and test names. */
    String name();

    /**
     * Mounts; upper and work are null for a read-only overlay. Must not return before the mount is usable, and
     * must leave nothing mounted when it throws.
     */
    void mount(List<Path> lowersTopFirst, Path upper, Path work, Path mountpoint) throws Exception;

    void unmount(Path mountpoint) throws Exception;

    /** The whiteout form this backend writes in the upper: what marker checks expect. */
    default io.github.jovl.config.WhiteoutFormat whiteoutFormat() {
        return io.github.jovl.config.WhiteoutFormat.CHARDEV;
    }

    /** The xattr prefix of opaque markers it writes ("trusted.overlay." for the kernel as root). */
    default String opaquePrefix() {
        return "trusted.overlay.";
    }
}
