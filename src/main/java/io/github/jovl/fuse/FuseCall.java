package io.github.jovl.fuse;

import io.github.jovl.fs.Errno;
import io.github.jovl.fs.Errors;
import io.github.jovl.fs.FsException;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one door from a FUSE callback into the engine. A Java exception must never reach jnr-fuse: it would
 * either tear down the native thread or be swallowed into a bogus "0 = success". So every callback runs its
 * body here, and whatever it throws becomes {@code -errno} through {@link Errors#errno}, the project's one
 * exception-to-errno table.
 */
final class FuseCall {
    /** A callback body whose success is 0. */
    interface Body {
        void run() throws Exception;
    }

    /** A callback body whose success is a count (bytes read, xattr size). */
    interface CountBody {
        int run() throws Exception;
    }

    /** A body given the path libfuse passed by address, decoded inside the door so that nothing escapes. */
    interface PathBody {
        void run(String path) throws Exception;
    }

    interface PathCountBody {
        int run(String path) throws Exception;
    }

    /** Beyond this many, unexpected exceptions are counted but no longer printed: a bug must not fill a disk. */
    private static final int MAX_REPORTED = 20;

    private final OpLog log;
    private final PrintStream err;
    private final AtomicInteger reported = new AtomicInteger();

    FuseCall(OpLog log, PrintStream err) {
        this.log = log;
        this.err = err;
    }

    // run is count with 0 for success: one small allocation per call, against ~100 us per FUSE request
    int run(String op, String path, Body body) {
        return count(op, path, () -> {
            body.run();
            return 0;
        });
    }

    int count(String op, String path, CountBody body) {
        long start = log.enabled() ? System.nanoTime() : 0;
        int result;
        try {
            result = body.run();
        } catch (Throwable t) {
            result = failure(op, path, t);
        }
        log.done(op, path, result, start);
        return result;
    }

    /** As {@link #run(String, String, Body)} for a callback that gets its path as a C string's address. */
    int run(String op, long pathAddress, PathBody body) {
        return count(op, pathAddress, path -> {
            body.run(path);
            return 0;
        });
    }

    int count(String op, long pathAddress, PathCountBody body) {
        long start = log.enabled() ? System.nanoTime() : 0;
        String path = null;
        int result;
        try {
            path = RawMemory.string(pathAddress);
            result = body.run(path);
        } catch (Throwable t) {
            result = failure(op, path, t);
        }
        log.done(op, path, result, start);
        return result;
    }

    private int failure(String op, String path, Throwable t) {
        int errno;
        try {
            errno = Errors.errno(t).number;
            if (!(t instanceof FsException)) {
                report(op, path, t);
            }
        } catch (Throwable again) {
            // the table itself failed (a cause cycle, say): EIO is the honest answer
            errno = Errno.EIO.number;
        }
        return -errno;
    }

    /** Anything but an FsException is a bug in jovl, so it is printed even without -d. */
    private void report(String op, String path, Throwable t) {
        int n = reported.incrementAndGet();
        if (n <= MAX_REPORTED) {
            err.println("jovl: internal error in " + op + " " + path + ": " + t);
            t.printStackTrace(err);
            if (n == MAX_REPORTED) {
                err.println("jovl: further internal errors are not printed");
            }
        }
    }

    int unexpectedErrors() {
        return reported.get();
    }
}
