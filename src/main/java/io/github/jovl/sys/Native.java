package io.github.jovl.sys;

import io.github.jovl.fs.DirEntry;
import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FileType;
import io.github.jovl.fs.FsException;
import io.github.jovl.fs.Stat;
import io.github.jovl.fs.StatFs;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * All native calls, and nothing else: each wrapper turns -1/errno into an {@link FsException} naming the path.
 * Paths are absolute host paths; callers (the layer package) make sure they stay inside a layer root.
 */
public final class Native {
    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int AT_EMPTY_PATH = 0x1000;
    public static final int STATX_BASIC_STATS = 0x7ff;
    public static final int RENAME_NOREPLACE = 1;
    public static final int RENAME_EXCHANGE = 2;
    public static final int RENAME_WHITEOUT = 4;
    public static final int XATTR_CREATE = 1;
    public static final int XATTR_REPLACE = 2;
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_ACCMODE = 3;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_NOCTTY = 0400;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;
    public static final int O_NONBLOCK = 04000;
    public static final int O_DIRECTORY = 0200000;
    public static final int O_NOFOLLOW = 0400000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_PATH = 010000000;
    public static final long FICLONE = 0x40049409L;
    public static final long UTIME_NOW = (1L << 30) - 1;
    public static final long UTIME_OMIT = (1L << 30) - 2;
    public static final int LOCK_EX = 2;
    public static final int LOCK_NB = 4;

    private static final LibC C = LibraryLoader.create(LibC.class).load("c");
    private static final Runtime RT = Runtime.getRuntime(C);
    private static final ThreadLocal<Pointer> STATX_BUF = ThreadLocal.withInitial(() -> Memory.allocateDirect(RT, 256));

    private Native() {
    }

    public static LibC libc() {
        return C;
    }

    public static int errno() {
        return RT.getLastError();
    }

    private static FsException fail(String path) {
        return new FsException(Errno.of(errno()), path);
    }

    private static void check(int rc, String path) throws FsException {
        if (rc < 0) {
            throw fail(path);
        }
    }

    /** lstat through statx (one struct layout on every architecture). Returns null when the name is absent. */
    public static Stat lstatOrNull(String path) throws FsException {
        Pointer b = STATX_BUF.get();
        if (C.statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, b) < 0) {
            int e = errno();
            if (e == Errno.ENOENT.number || e == Errno.ENOTDIR.number) {
                return null;
            }
            throw new FsException(Errno.of(e), path);
        }
        return readStatx(b);
    }

    /**
     * As {@link #lstatOrNull(String)} for a path the caller encoded with the default charset (as jnr encodes a
     * String) and terminated with a NUL: every getattr and lookup lstats, and jnr's per-call encoder showed in
     * profiles.
     */
    public static Stat lstatOrNull(byte[] cpath) throws FsException {
        Pointer b = STATX_BUF.get();
        if (C.statx(AT_FDCWD, cpath, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, b) < 0) {
            int e = errno();
            if (e == Errno.ENOENT.number || e == Errno.ENOTDIR.number) {
                return null;
            }
            throw new FsException(Errno.of(e), new String(cpath, 0, cpath.length - 1, Charset.defaultCharset()));
        }
        return readStatx(b);
    }

    public static Stat lstat(String path) throws FsException {
        Stat s = lstatOrNull(path);
        if (s == null) {
            throw new FsException(Errno.ENOENT, path);
        }
        return s;
    }

    /** The attributes of an open file, even one whose name is gone. */
    public static Stat fstat(int fd) throws FsException {
        Pointer b = STATX_BUF.get();
        check(C.statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, b), "fd " + fd);
        return readStatx(b);
    }

    /** Restores the creation mask after reading it: new upper objects get exactly the mode asked for. */
    public static int currentUmask() {
        int old = C.umask(022);
        C.umask(old);
        return old;
    }

    private static Stat readStatx(Pointer b) {
        int blksize = b.getInt(4);
        long nlink = b.getInt(16) & 0xffffffffL;
        int uid = b.getInt(20);
        int gid = b.getInt(24);
        int mode = b.getShort(28) & 0xffff;
        long ino = b.getLong(32);
        long size = b.getLong(40);
        long blocks = b.getLong(48);
        long atime = ts(b, 64);
        long ctime = ts(b, 96);
        long mtime = ts(b, 112);
        long rdev = Stat.makedev(b.getInt(128) & 0xffffffffL, b.getInt(132) & 0xffffffffL);
        long dev = Stat.makedev(b.getInt(136) & 0xffffffffL, b.getInt(140) & 0xffffffffL);
        return new Stat(dev, ino, mode, nlink, uid, gid, rdev, size, blocks, blksize, atime, mtime, ctime);
    }

    private static long ts(Pointer b, int off) {
        return b.getLong(off) * 1_000_000_000L + (b.getInt(off + 8) & 0xffffffffL);
    }

    public static void mknod(String path, int mode, long dev) throws FsException {
        check(C.mknod(path, mode, dev), path);
    }

    public static void mkdir(String path, int mode) throws FsException {
        check(C.mkdir(path, mode), path);
    }

    public static void rmdir(String path) throws FsException {
        check(C.rmdir(path), path);
    }

    public static void unlink(String path) throws FsException {
        check(C.unlink(path), path);
    }

    public static void symlink(String target, String linkPath) throws FsException {
        check(C.symlink(target, linkPath), linkPath);
    }

    public static void link(String from, String to) throws FsException {
        check(C.link(from, to), to);
    }

    public static void rename(String from, String to, int flags) throws FsException {
        check(C.renameat2(AT_FDCWD, from, AT_FDCWD, to, flags), from);
    }

    public static void lchown(String path, int uid, int gid) throws FsException {
        check(C.lchown(path, uid, gid), path);
    }

    public static void chmod(String path, int mode) throws FsException {
        check(C.chmod(path, mode), path);
    }

    /** truncate(2): follows a final symlink. */
    public static void truncate(String path, long size) throws FsException {
        check(C.truncate(path, size), path);
    }

    /** Truncates a regular file without following a final symlink (truncate(2) would follow it). */
    public static void truncateNoFollow(String path, long size) throws FsException {
        int fd = open(path, O_WRONLY | O_NOFOLLOW | O_NONBLOCK, 0);
        try {
            check(C.ftruncate(fd, size), path);
        } finally {
            C.close(fd);
        }
    }

    /**
     * chmod without following a final symlink: an O_PATH descriptor pins the object, and chmod through its
     * /proc/self/fd entry changes exactly that object (glibc's fchmodat fallback does the same). A symlink itself
     * has no mode to change: EOPNOTSUPP, as lchmod.
     */
    public static void chmodNoFollow(String path, int mode) throws FsException {
        int fd = open(path, O_PATH | O_NOFOLLOW, 0);
        try {
            Stat st = fstat(fd);
            if (st.isSymlink()) {
                throw new FsException(Errno.EOPNOTSUPP, path, "a symlink has no mode of its own");
            }
            check(C.chmod("/proc/self/fd/" + fd, mode), path);
        } finally {
            C.close(fd);
        }
    }

    /**
     * Sets atime and mtime without following a symlink. A nanosecond field may be UTIME_NOW or UTIME_OMIT,
     * as in utimensat(2).
     */
    public static void utimens(String path, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec)
            throws FsException {
        long[] t = {atimeSec, atimeNsec, mtimeSec, mtimeNsec};
        check(C.utimensat(AT_FDCWD, path, t, AT_SYMLINK_NOFOLLOW), path);
    }

    public static String readlink(String path) throws FsException {
        byte[] buf = new byte[4097];
        long n = C.readlink(path, buf, buf.length);
        if (n < 0) {
            throw fail(path);
        }
        return new String(buf, 0, (int) n, StandardCharsets.UTF_8);
    }

    /** The value of an xattr, or null when the file has no such attribute. */
    public static byte[] getxattrOrNull(String path, String name) throws FsException {
        byte[] buf = new byte[256];
        while (true) {
            long n = C.lgetxattr(path, name, buf, buf.length);
            if (n >= 0) {
                return java.util.Arrays.copyOf(buf, (int) n);
            }
            int e = errno();
            if (e == Errno.ENODATA.number || e == Errno.EOPNOTSUPP.number) {
                return null; // a filesystem without xattrs (ramfs) has none set: reading a mark finds none
            }
            if (e != Errno.ERANGE.number) {
                throw new FsException(Errno.of(e), path, name);
            }
            long need = C.lgetxattr(path, name, null, 0);
            if (need < 0) {
                throw fail(path);
            }
            buf = new byte[(int) Math.max(need, buf.length * 2L)];
        }
    }

    public static void setxattr(String path, String name, byte[] value, int flags) throws FsException {
        if (C.lsetxattr(path, name, value, value.length, flags) < 0) {
            throw new FsException(Errno.of(errno()), path, name);
        }
    }

    public static void removexattr(String path, String name) throws FsException {
        if (C.lremovexattr(path, name) < 0) {
            throw new FsException(Errno.of(errno()), path, name);
        }
    }

    public static List<String> listxattr(String path) throws FsException {
        byte[] buf = new byte[1024];
        long n;
        while ((n = C.llistxattr(path, buf, buf.length)) < 0) {
            if (errno() != Errno.ERANGE.number) {
                int e = errno();
                if (e == Errno.EOPNOTSUPP.number) {
                    return List.of();
                }
                throw new FsException(Errno.of(e), path);
            }
            long need = C.llistxattr(path, null, 0);
            if (need < 0) {
                throw fail(path);
            }
            buf = new byte[(int) Math.max(need, buf.length * 2L)];
        }
        List<String> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (buf[i] == 0) {
                if (i > start) {
                    names.add(new String(buf, start, i - start, StandardCharsets.UTF_8));
                }
                start = i + 1;
            }
        }
        return names;
    }

    /** All names of a directory except "." and "..", with their d_type, in one pass. */
    public static List<DirEntry> readdir(String path) throws FsException {
        Pointer dir = C.opendir(path);
        if (dir == null || dir.address() == 0) {
            throw fail(path);
        }
        List<DirEntry> out = new ArrayList<>();
        try {
            Pointer ent;
            while ((ent = C.readdir(dir)) != null && ent.address() != 0) {
                // struct dirent64: d_ino u64 @0, d_off @8, d_reclen u16 @16, d_type u8 @18, d_name @19
                String name = ent.getString(19, 256, StandardCharsets.UTF_8);
                if (name.equals(".") || name.equals("..")) {
                    continue;
                }
                int dtype = ent.getByte(18) & 0xff;
                FileType type = FileType.ofDtype(dtype);
                if (type == null) { // DT_UNKNOWN: some filesystems never fill d_type
                    Stat st = lstatOrNull(path + "/" + name);
                    if (st == null) {
                        continue;
                    }
                    type = st.type();
                }
                out.add(new DirEntry(name, type, ent.getLong(0)));
            }
        } finally {
            C.closedir(dir);
        }
        return out;
    }

    public static int open(String path, int flags, int mode) throws FsException {
        int fd = C.open(path, flags | O_CLOEXEC, mode);
        if (fd < 0) {
            throw fail(path);
        }
        return fd;
    }

    public static void close(int fd) {
        C.close(fd);
    }

    public static int pread(int fd, byte[] buf, int len, long off) throws FsException {
        long n = C.pread(fd, buf, len, off);
        if (n < 0) {
            throw fail("fd " + fd);
        }
        return (int) n;
    }

    public static int pwrite(int fd, byte[] buf, int len, long off) throws FsException {
        long n = C.pwrite(fd, buf, len, off);
        if (n < 0) {
            throw fail("fd " + fd);
        }
        return (int) n;
    }

    /** Straight between the file and native memory (the FUSE buffer), no Java heap copy. */
    public static int pread(int fd, Pointer buf, long len, long off) throws FsException {
        long n = C.pread(fd, buf, len, off);
        if (n < 0) {
            throw fail("fd " + fd);
        }
        return (int) n;
    }

    public static int pread(int fd, long address, long len, long off) throws FsException {
        return pread(fd, Pointer.wrap(RT, address), len, off);
    }

    public static int pwrite(int fd, long address, long len, long off) throws FsException {
        return pwrite(fd, Pointer.wrap(RT, address), len, off);
    }

    public static int pwrite(int fd, Pointer buf, long len, long off) throws FsException {
        long n = C.pwrite(fd, buf, len, off);
        if (n < 0) {
            throw fail("fd " + fd);
        }
        return (int) n;
    }

    public static void fsync(int fd, boolean dataOnly) throws FsException {
        check(dataOnly ? C.fdatasync(fd) : C.fsync(fd), "fd " + fd);
    }

    public static void ftruncate(int fd, long size) throws FsException {
        check(C.ftruncate(fd, size), "fd " + fd);
    }

    /** Shares the data blocks of src with dst (reflink); false where the filesystem cannot. */
    public static boolean tryClone(int srcFd, int dstFd) {
        return C.ioctl(dstFd, FICLONE, srcFd) == 0;
    }

    /** Copies in the kernel; returns bytes copied (0 at EOF), or -1 where copy_file_range is unsupported. */
    public static long copyFileRange(int in, int out, long len) throws FsException {
        long n = C.copy_file_range(in, null, out, null, len, 0);
        if (n < 0) {
            int e = errno();
            if (e == Errno.EXDEV.number || e == Errno.EINVAL.number || e == Errno.ENOSYS.number
                    || e == Errno.EOPNOTSUPP.number) {
                return -1;
            }
            throw new FsException(Errno.of(e), "copy_file_range");
        }
        return n;
    }

    public static StatFs statvfs(String path) throws FsException {
        Pointer b = Memory.allocateDirect(RT, 128);
        check(C.statvfs(path, b), path);
        // struct statvfs (64-bit glibc): bsize, frsize, blocks, bfree, bavail, files, ffree, favail, fsid, flag, namemax
        return new StatFs(b.getLong(0), b.getLong(8), b.getLong(16), b.getLong(24), b.getLong(32), b.getLong(40),
                b.getLong(48), b.getLong(80));
    }

    public static void mount(String source, String target, String fstype, long flags, String data)
            throws FsException {
        check(C.mount(source, target, fstype, flags, data), target);
    }

    public static void umount(String target, int flags) throws FsException {
        check(C.umount2(target, flags), target);
    }

    public static int geteuid() {
        return C.geteuid();
    }

    /** Takes an exclusive, non-blocking lock on an open fd; false when another process holds it. */
    public static boolean tryLock(int fd) {
        return C.flock(fd, LOCK_EX | LOCK_NB) == 0;
    }
}
