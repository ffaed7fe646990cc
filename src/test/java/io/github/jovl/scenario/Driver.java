package io.github.jovl.scenario;

import io.github.jovl.fs.FsException;

/**
 * The operations a scenario performs on a merged view, whatever serves it: the engine called directly
 * ({@link EngineDriver}) or real system calls on a mounted directory ({@link MountedDriver}). Paths are relative
 * to the merged root ("" is the root) and are passed on unvalidated, so an over-long name reaches the backend.
 *
 * <p>Every method reports failure as an {@link FsException} carrying the errno; {@link Op} turns that into the
 * OK-or-errno {@link Result} a scenario records. Keeping the try/catch in one place means every driver maps
 * failures the same way (through {@code Errors.errno}).
 */
public interface Driver extends View, AutoCloseable {
    /** For failure messages: "engine", "kernel", "fuse"... */
    String name();

    /** The whiteout form this backend writes in the upper (what marker checks expect). */
    io.github.jovl.config.WhiteoutFormat whiteoutFormat();

    /** The prefix of the opaque xattr it writes: "trusted.overlay." or "user.overlay.". */
    String opaquePrefix();

    /**
     * Opens with oflags (O_CREAT uses createMode), writes data at offset 0, or at the end of the file when
     * atEnd, and closes. Empty data means open and close only.
     */
    void write(String path, int oflags, int createMode, byte[] data, boolean atEnd) throws FsException;

    /** Opens and keeps the file open (no O_CREAT); the handle outlives later steps until {@link #close(long)}. */
    long open(String path, int oflags) throws FsException;

    /** Reads the whole file through an open handle, from offset 0. */
    byte[] read(long handle) throws FsException;

    void write(long handle, byte[] data, long offset) throws FsException;

    void close(long handle) throws FsException;

    void mkdir(String path, int mode) throws FsException;

    /** mode carries the file type (S_IFIFO...). */
    void mknod(String path, int mode, long rdev) throws FsException;

    void symlink(String target, String linkPath) throws FsException;

    void link(String from, String to) throws FsException;

    void unlink(String path) throws FsException;

    void rmdir(String path) throws FsException;

    /** flags as renameat2(2): 0, RENAME_NOREPLACE (1) or RENAME_EXCHANGE (2). */
    void rename(String from, String to, int flags) throws FsException;

    void chmod(String path, int mode) throws FsException;

    /** Does not follow a final symlink (lchown). */
    void chown(String path, int uid, int gid) throws FsException;

    void truncate(String path, long size) throws FsException;

    /** Does not follow a final symlink (utimensat with AT_SYMLINK_NOFOLLOW). */
    void utimens(String path, long aSec, long aNsec, long mSec, long mNsec) throws FsException;

    void setxattr(String path, String name, byte[] value, int flags) throws FsException;

    void removexattr(String path, String name) throws FsException;

    /** Closes and reopens the same layers (engine: a new Overlay; mount: unmount and mount again). */
    void remount() throws Exception;

    /** Stops serving the view; for mounts, unmounts. Must be safe to call after a failure. */
    @Override
    void close() throws java.io.IOException;
}
