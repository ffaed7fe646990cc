package io.github.jovl.fs;

import java.io.IOException;

/** A filesystem failure that carries the errno the kernel would report, and the path it concerns. */
public class FsException extends IOException {
    private static final long serialVersionUID = 1L;
    private final Errno errno;
    private final String path;

    public FsException(Errno errno, String path) {
        this(errno, path, null);
    }

    public FsException(Errno errno, String path, String detail) {
        super(errno + (path == null ? "" : ": " + path) + (detail == null ? "" : " (" + detail + ")"));
        this.errno = errno;
        this.path = path;
    }

    private FsException(Errno errno, String path, String message, boolean whole) {
        super(message);
        this.errno = errno;
        this.path = path;
    }

    /** A failure whose message is a complete sentence for a person: names the problem and the fix. */
    public static FsException withMessage(Errno errno, String path, String message) {
        return new FsException(errno, path, message, true);
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
