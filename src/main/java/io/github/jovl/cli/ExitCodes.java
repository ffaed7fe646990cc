package io.github.jovl.cli;

import io.github.jovl.config.MountOptionException;
import io.github.jovl.fs.FsException;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The one place that turns a failure into an exit code and a one-line message. 0: done; 1: the operation
 * failed (nothing mounted, not unmounted); 2: the command line itself is wrong.
 */
final class ExitCodes {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private ExitCodes() {
    }

    static int of(Throwable t) {
        if (t instanceof MountOptionException || t instanceof CommandLine.ParameterException
                || t instanceof UsageException) {
            return USAGE;
        }
        return FAILED;
    }

    /** One line a user can act on; the stack trace only with --stacktrace. */
    static String message(Throwable t) {
        if (t instanceof FsException || t instanceof MountOptionException || t instanceof UsageException
                || t instanceof CommandLine.ParameterException) {
            return t.getMessage();
        }
        return "internal error: " + t + " (run again with --stacktrace to see where)";
    }

    static int report(Throwable t, PrintWriter err, boolean stacktrace) {
        err.println("jovl: " + message(t));
        if (stacktrace) {
            t.printStackTrace(err);
        }
        err.flush();
        return of(t);
    }

    /** A command line that is well-formed for picocli but wrong for jovl (e.g. an unknown --backend). */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
