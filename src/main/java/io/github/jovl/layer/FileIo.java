package io.github.jovl.layer;

import io.github.jovl.fs.FsException;
import io.github.jovl.fs.Stat;
import io.github.jovl.sys.Native;

/** Data I/O on a file descriptor opened through a {@link Layer}, so the engine never touches native calls. */
public final class FileIo {
    private FileIo() {
    }

    public static int read(int fd, byte[] buf, int len, long off) throws FsException {
        return Native.pread(fd, buf, len, off);
    }

    public static int write(int fd, byte[] buf, int len, long off) throws FsException {
        return Native.pwrite(fd, buf, len, off);
    }

    /** Reads into native memory (a FUSE buffer) without a heap copy. */
    public static int read(int fd, long address, int len, long off) throws FsException {
        return Native.pread(fd, address, len, off);
    }

    public static int write(int fd, long address, int len, long off) throws FsException {
        return Native.pwrite(fd, address, len, off);
    }

    public static Stat stat(int fd) throws FsException {
        return Native.fstat(fd);
    }

    public static void truncate(int fd, long size) throws FsException {
        Native.ftruncate(fd, size);
    }

    public static void sync(int fd, boolean dataOnly) throws FsException {
        Native.fsync(fd, dataOnly);
    }

    public static void close(int fd) {
        Native.close(fd);
    }

    /**
     * Copies all of src into dst in the kernel: a reflink where the filesystem shares blocks, else
     * copy_file_range, else a plain read/write loop.
     */
    public static void copyAll(int src, int dst, long size) throws FsException {
        if (size == 0 || Native.tryClone(src, dst)) {
            return;
        }
        long done = 0;
        while (done < size) {
            long n = Native.copyFileRange(src, dst, Math.min(size - done, 1L << 30));
            if (n < 0) {
                copyByHand(src, dst, done);
                return;
            }
            if (n == 0) {
                return; // the source shrank under us; what was there is copied
            }
            done += n;
        }
    }

    private static void copyByHand(int src, int dst, long from) throws FsException {
        byte[] buf = new byte[1 << 20];
        long off = from;
        int n;
        while ((n = Native.pread(src, buf, buf.length, off)) > 0) {
            int w = Native.pwrite(dst, buf, n, off);
            while (w < n) { // short writes are rare on regular files; finish the chunk
                w += Native.pwrite(dst, java.util.Arrays.copyOfRange(buf, w, n), n - w, off + w);
            }
            off += n;
        }
    }

    /** The umask of this process, read once, so new upper objects can be given exactly the requested mode. */
    public static int umask() {
        return Native.currentUmask();
    }

    public static int euid() {
        return Native.geteuid();
    }

    /** Holds an exclusive lock on a directory for as long as the returned fd stays open; -1 if another has it. */
    public static int lockDir(String dir) throws FsException {
        int fd = Native.open(dir, Native.O_RDONLY | Native.O_DIRECTORY, 0);
        if (!Native.tryLock(fd)) {
            Native.close(fd);
            return -1;
        }
        return fd;
    }
}
