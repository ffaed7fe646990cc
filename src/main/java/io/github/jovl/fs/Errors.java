package io.github.jovl.fs;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.ReadOnlyFileSystemException;

/**
 * THE exception to errno table. Every layer above the engine (FUSE callbacks, CLI exit codes, test drivers)
 * asks this one place, so a failure is reported the same way everywhere.
 */
public final class Errors {
    private Errors() {
    }

    public static Errno errno(Throwable t) {
        if (t instanceof FsException fe) {
            return fe.errno();
        }
        if (t instanceof NoSuchFileException) {
            return Errno.ENOENT;
        }
        if (t instanceof FileAlreadyExistsException) {
            return Errno.EEXIST;
        }
        if (t instanceof DirectoryNotEmptyException) {
            return Errno.ENOTEMPTY;
        }
        if (t instanceof NotDirectoryException) {
            return Errno.ENOTDIR;
        }
        if (t instanceof AccessDeniedException) {
            return Errno.EACCES;
        }
        if (t instanceof NotLinkException) {
            return Errno.EINVAL;
        }
        if (t instanceof FileSystemLoopException) {
            return Errno.ELOOP;
        }
        if (t instanceof ReadOnlyFileSystemException) {
            return Errno.EROFS;
        }
        if (t instanceof UnsupportedOperationException) {
            return Errno.EOPNOTSUPP;
        }
        if (t instanceof IllegalArgumentException) {
            return Errno.EINVAL;
        }
        if (t instanceof OutOfMemoryError) {
            return Errno.ENOMEM;
        }
        if (t instanceof java.io.UncheckedIOException u && u.getCause() != null) {
            return errno(u.getCause());
        }
        Throwable cause = t.getCause();
        return cause != null && cause != t ? errno(cause) : Errno.EIO;
    }
}
