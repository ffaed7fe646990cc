package io.github.jovl.mount;

import io.github.jovl.config.MountOptions;
import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FsException;
import io.github.jovl.fuse.FuseArgs;
import io.github.jovl.fuse.FuseSession;
import io.github.jovl.union.Overlay;
import io.github.jovl.union.OverlayEvents;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * The FUSE backend: the engine behind libfuse's loop. {@link #start} returns only once the mount is usable
 * (a new FUSE mount at the mountpoint in the mount table, and a stat of it answered by our own loop), or
 * throws with the reason, leaving nothing mounted. A shutdown hook unmounts on SIGTERM/SIGINT.
 */
public final class FuseMount implements MountHandle {
    private static final long POLL_NANOS = 1_000_000;
    /** After an unmount, how long the loop may take to drain before we stop waiting for it. */
    private static final long DRAIN_MILLIS = 5_000;

    private final Path mountpoint;
    private final Overlay engine;
    private final PrintStream err;
    /** Mounts that were at the mountpoint before ours: never ours to unmount. */
    private final Set<Long> before;
    private volatile FuseSession session;
    private volatile long mountId = -1;
    private boolean closed;

    private FuseMount(Path mountpoint, Overlay engine, Set<Long> before, PrintStream err) {
        this.mountpoint = mountpoint;
        this.before = before;
        this.engine = engine;
        this.err = err;
    }

    /**
     * @param single  single-threaded FUSE loop
     * @param debug   libfuse's protocol trace and one line per operation, on err
     * @param timeout how long the mount may take to become usable
     */
    public static FuseMount start(MountOptions options, Path mountpoint, boolean single, boolean debug,
                                  Duration timeout, PrintStream err) throws FsException {
        return start(options, mountpoint, single, debug, timeout, err, OverlayEvents.NONE);
    }

    /** As above, reporting the engine's semantic events (copy-up, whiteouts...) to events: --trace. */
    public static FuseMount start(MountOptions options, Path mountpoint, boolean single, boolean debug,
                                  Duration timeout, PrintStream err, OverlayEvents events) throws FsException {
        Path mnt = LayerPlacement.existingMountpoint(mountpoint);
        LayerPlacement.check(options, mnt, err);
        FusePreflight.check(options, Unmounter.root(), io.github.jovl.sys.Native.geteuid());
        Set<Long> before = mountIdsAt(mnt);
        Overlay engine = Overlay.open(options.overlayConfig(), events);
        FuseMount m = new FuseMount(mnt, engine, before, err);
        // registered before the kernel mount exists, so a SIGTERM at any moment leaves no dead mount behind
        Thread hook = new Thread(m::close, "jovl-unmount");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean root = Unmounter.root();
        try {
            m.session = FuseSession.start(engine, mnt, FuseArgs.of(options, root, single), root, debug, err);
            m.awaitUsable(timeout);
            m.record(options);
            return m;
        } catch (FsException | RuntimeException e) {
            m.close();
            removeHook(hook);
            throw e;
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway and finds everything closed
        }
    }


    private static Set<Long> mountIdsAt(Path mnt) throws FsException {
        return table().idsAt(mnt);
    }

    private static MountTable table() throws FsException {
        try {
            return MountTable.read();
        } catch (IOException e) {
            throw FsException.withMessage(Errno.EIO, null, "cannot read /proc/self/mountinfo: " + e.getMessage());
        }
    }

    private void awaitUsable(Duration timeout) throws FsException {
        awaitMountEntry(timeout);
        statThroughMount();
    }

    private void awaitMountEntry(Duration timeout) throws FsException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!session.running()) {
                String why = session.failure();
                throw FsException.withMessage(Errno.EIO, mountpoint.toString(), why != null ? why
                        : "the FUSE mount at " + mountpoint + " went away before it was ready");
            }
            MountTable.Entry e = newFuseMount(table());
            if (e != null) {
                mountId = e.id();
                return;
            }
            if (System.nanoTime() > deadline) {
                throw FsException.withMessage(Errno.EIO, mountpoint.toString(), "the FUSE mount at " + mountpoint
                        + " did not appear within " + timeout.toSeconds() + " s");
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** The FUSE mount on top of the mountpoint if it was not there before we started, else null. */
    private MountTable.Entry newFuseMount(MountTable table) {
        MountTable.Entry top = table.top(mountpoint);
        return top != null && top.isFuse() && !before.contains(top.id()) ? top : null;
    }

    /** Answered by our own loop: the kernel sends INIT, then GETATTR of the root, and waits for both. */
    private void statThroughMount() throws FsException {
        try {
            Files.readAttributes(mountpoint, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw FsException.withMessage(Errno.EIO, mountpoint.toString(), "the FUSE mount at " + mountpoint
                    + " appeared but its root cannot be read: " + e.getMessage());
        }
    }

    /** For `jovl mounts`, explain and diff: the kernel's table does not say what a FUSE mount merges. */
    private void record(MountOptions o) {
        MountOptions abs = o.absolute(Path.of("").toAbsolutePath());
        try {
            MountRecords.save(new MountRecords.Record(mountpoint, "fuse", abs.lowers(), abs.upper(), abs.work(),
                    mountId));
        } catch (IOException e) {
            err.println("jovl: warning: could not record the mount in " + MountRecords.dir() + " ("
                    + e.getMessage() + "); jovl mounts will not list it");
        }
    }

    @Override
    public Path mountpoint() {
        return mountpoint;
    }

    @Override
    public void awaitUnmounted() throws InterruptedException {
        session.join(0);
    }

    /** Unmounts our mount (only if it is still the one on top), waits for the loop, releases the engine. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (mountId >= 0) {
                MountRecords.remove(mountpoint);
            }
            unmountOurs();
            if (session != null && !session.join(DRAIN_MILLIS)) {
                err.println("jovl: the FUSE loop for " + mountpoint + " did not stop within " + DRAIN_MILLIS / 1000
                        + " s (files still open in a detached mount?); exiting anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            engine.close();
        }
    }

    private void unmountOurs() {
        try {
            MountTable table = table();
            long id = mountId;
            if (id < 0 && session != null) {
                // stopped while starting: the mount may have appeared since we last looked
                MountTable.Entry ours = newFuseMount(table);
                id = ours != null ? ours.id() : -1;
            }
            if (id < 0 || table.byId(id) == null) {
                return;
            }
            MountTable.Entry top = table.top(mountpoint);
            if (top == null || top.id() != id) {
                err.println("jovl: something else is mounted over " + mountpoint + "; not unmounting it");
                return;
            }
            if (Unmounter.unmountOrDetach(mountpoint)) {
                err.println("jovl: " + mountpoint + " is busy; detached it (lazy unmount)");
            }
        } catch (FsException e) {
            err.println("jovl: could not unmount " + mountpoint + ": " + e.getMessage());
        }
    }
}
