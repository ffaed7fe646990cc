package io.github.jovl.fuse;

import io.github.jovl.union.Overlay;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * libfuse's main loop on a thread of our own. jnr-fuse's non-blocking mount sleeps a fixed 2 s and cannot tell
 * a failed mount from a slow one, so the loop runs in blocking mode here and the owner decides when the mount
 * is usable (it watches the mount table). The loop returns when the mount goes away, for whatever reason.
 */
public final class FuseSession {
    private final OverlayFuse fs;
    private final Thread thread;
    private volatile String failure;

    private FuseSession(OverlayFuse fs, Path mountpoint, List<String> args, boolean debug) {
        this.fs = fs;
        this.thread = new Thread(() -> loop(mountpoint, args, debug), "fuse-loop");
    }

    /** Starts the loop; the mount is not usable yet when this returns. */
    public static FuseSession start(Overlay engine, Path mountpoint, List<String> args, boolean root, boolean debug,
                                    PrintStream err) {
        FuseSession s = new FuseSession(new OverlayFuse(engine, root, debug, err), mountpoint, args, debug);
        s.thread.start();
        return s;
    }

    private void loop(Path mountpoint, List<String> args, boolean debug) {
        try {
            fs.mount(mountpoint, true, debug, args.toArray(new String[0]));
        } catch (Throwable t) {
            // libfuse has already printed its reason to stderr; the exception only says "return code = 1"
            Throwable c = t.getCause() != null ? t.getCause() : t;
            failure = "libfuse could not mount " + mountpoint + " (" + c.getMessage() + "; its own message, if"
                    + " any, is printed above)";
        }
    }

    /** True while libfuse's loop runs: from before the mount exists until after it is gone. */
    public boolean running() {
        return thread.isAlive();
    }

    /** Why the loop ended early, or null if it ended because the mount went away (or is still running). */
    public String failure() {
        return failure;
    }

    /** Waits for the loop to end; false if it still runs after millis (0 = wait for ever). */
    public boolean join(long millis) throws InterruptedException {
        thread.join(millis);
        return !thread.isAlive();
    }

    /** Callbacks that threw something other than an FsException: bugs, printed as they happen. */
    public int unexpectedErrors() {
        return fs.unexpectedErrors();
    }
}
