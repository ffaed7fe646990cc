package io.github.jovl.fs;

/** The attributes getattr reports: a plain copy of struct stat, times in nanoseconds since the epoch. */
public record Stat(long dev, long ino, int mode, long nlink, int uid, int gid, long rdev, long size, long blocks,
                   int blksize, long atimeNs, long mtimeNs, long ctimeNs) {

    public FileType type() {
        return FileType.ofMode(mode);
    }

    public boolean isDir() {
        return (mode & FileType.S_IFMT) == FileType.DIRECTORY.bits;
    }

    public boolean isRegular() {
        return (mode & FileType.S_IFMT) == FileType.REGULAR.bits;
    }

    public boolean isSymlink() {
        return (mode & FileType.S_IFMT) == FileType.SYMLINK.bits;
    }

    public int permissions() {
        return mode & 07777;
    }

    public int rdevMajor() {
        return (int) (((rdev >>> 32) & 0xfffff000L) | ((rdev >>> 8) & 0xfffL));
    }

    public int rdevMinor() {
        return (int) (((rdev >>> 12) & 0xffffff00L) | (rdev & 0xffL));
    }

    public static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8) | ((minor & 0xffffff00L) << 12)
                | (minor & 0xffL);
    }

    public Stat withIno(long newIno) {
        return new Stat(dev, newIno, mode, nlink, uid, gid, rdev, size, blocks, blksize, atimeNs, mtimeNs, ctimeNs);
    }

    public Stat withNlink(long n) {
        return new Stat(dev, ino, mode, n, uid, gid, rdev, size, blocks, blksize, atimeNs, mtimeNs, ctimeNs);
    }
}
