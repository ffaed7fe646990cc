package io.github.jovl.mount;

import java.nio.file.Path;

/** A live mount of an overlay. Closing it unmounts (detaching if busy) and releases the layers. */
public interface MountHandle extends AutoCloseable {
    Path mountpoint();

    /** Blocks until the mount is gone: unmounted from outside (umount, fusermount3 -u) or by {@link #close}. */
    void awaitUnmounted() throws InterruptedException;

    /** Idempotent; safe from a shutdown hook. */
    @Override
    void close();
}
