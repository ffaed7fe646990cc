package io.github.jovl.mount;

import io.github.jovl.union.OverlayEvents;
import java.io.PrintStream;
import java.time.Duration;

/**
 * How to run a mount, apart from what to mount.
 *
 * @param singleThreaded one FUSE worker thread instead of libfuse's pool
 * @param debug          trace every operation to log
 * @param timeout        how long the mount may take to become usable
 * @param log            where a running mount reports trouble
 */
public record MountSettings(boolean singleThreaded, boolean debug, Duration timeout, PrintStream log,
                            OverlayEvents events) {
    public MountSettings(boolean singleThreaded, boolean debug, Duration timeout, PrintStream log) {
        this(singleThreaded, debug, timeout, log, OverlayEvents.NONE);
    }
}
