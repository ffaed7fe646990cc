package io.github.jovl.fs;

import java.io.IOException;

/**
 * A filesystem failure that carries the errno the kernel would report, and the path it concerns.
 * <p>
 * In the FUSE daemon these are answers, not accidents: every ENOENT of a lookup and ENODATA of an xattr probe is
 * one, thousands a second. There the stack trace (the costliest part of an exception) is not recorded, see
 * {@link #omitStackTraces}, and the message is built only when asked for.
 */
public class FsException extends IOException {
    private static final long serialVersionUID = 1L;
    private static volatile boolean stackTraces = true;

    private final Errno errno;
    private final String path;
    private final String detail;
    private final boolean whole;

    public FsException(Errno errno, String path) {
        this(errno, path, null);
    }

    public FsException(Errno errno, String path, String detail) {
        this(errno, path, detail, false);
    }

    private FsException(Errno errno, String path, String detail, boolean whole) {
        super((String) null);
        this.errno = errno;
        this.path = path;
        this.detail = detail;
        this.whole = whole;
    }

    /** A failure whose message is a complete sentence for a person: names the problem and the fix. */
    public static FsException withMessage(Errno errno, String path, String message) {
        return new FsException(errno, path, message, true);
    }

    /**
     * From now on, FsExceptions of this process carry no stack trace. For the FUSE daemon, which turns each one
     * into an errno and never prints it (unexpected exceptions, which are bugs, keep theirs).
     */
    public static void omitStackTraces() {
        stackTraces = false;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return stackTraces ? super.fillInStackTrace() : this;
    }

    @Override
    public String getMessage() {
        if (whole) {
            return detail;
        }
        return errno + (path == null ? "" : ": " + path) + (detail == null ? "" : " (" + detail + ")");
    }

    public Errno errno() {
        return errno;
    }

    public String path() {
        return path;
    }

    public static FsException of(Errno errno, Object path) {
        return new FsException(errno, path == null ? null : path.toString());
    }
}
