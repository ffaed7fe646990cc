package io.github.jovl.reliability;

import io.github.jovl.fs.Caller;
import io.github.jovl.fs.DirEntry;
import io.github.jovl.fs.FsException;
import io.github.jovl.fs.RelPath;
import io.github.jovl.fs.Stat;
import io.github.jovl.sys.Native;
import io.github.jovl.union.Overlay;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The file operations the reliability tests drive, with errors as errno values (FsException) on both paths: the
 * engine called directly, and a real mount through syscalls (jovl's own libc binding). java.nio would turn most
 * errnos into one FileSystemException and its Files.move is not one rename(2), so it could not tell an allowed
 * ENOENT from a forbidden EIO.
 */
interface FsOps {
    int O_RDONLY = Native.O_RDONLY;
    int O_WRONLY = Native.O_WRONLY;
    int O_RDWR = Native.O_RDWR;
    int O_CREAT = Native.O_CREAT;
    int O_EXCL = Native.O_EXCL;

    String name();

    Stat stat(String p) throws FsException;

    /** The names of a directory without "." and "..". */
    List<DirEntry> entries(String dir) throws FsException;

    long open(String p, int flags) throws FsException;

    long create(String p, int flags, int mode) throws FsException;

    int read(long h, byte[] buf, int len, long off) throws FsException;

    int write(long h, byte[] buf, int len, long off) throws FsException;

    void close(long h);

    void mkdir(String p, int mode) throws FsException;

    void rmdir(String p) throws FsException;

    void unlink(String p) throws FsException;

    void rename(String from, String to) throws FsException;

    void chmod(String p, int mode) throws FsException;

    /** The whole content of a file, read through this view. */
    default byte[] readAll(String p) throws FsException {
        long h = open(p, O_RDONLY);
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[1 << 16];
            long off = 0;
            int n;
            while ((n = read(h, buf, buf.length, off)) > 0) {
                out.write(buf, 0, n);
                off += n;
            }
            return out.toByteArray();
        } finally {
            close(h);
        }
    }

    static FsOps engine(Overlay o) {
        return new FsOps() {
            @Override
            public String name() {
                return "engine";
            }

            @Override
            public Stat stat(String p) throws FsException {
                return o.getattr(RelPath.of(p));
            }

            @Override
            public List<DirEntry> entries(String dir) throws FsException {
                List<DirEntry> out = new ArrayList<>();
                for (DirEntry e : o.readdir(RelPath.of(dir))) {
                    if (!e.name().equals(".") && !e.name().equals("..")) {
                        out.add(e);
                    }
                }
                return out;
            }

            @Override
            public long open(String p, int flags) throws FsException {
                return o.open(RelPath.of(p), flags);
            }

            @Override
            public long create(String p, int flags, int mode) throws FsException {
                return o.create(Caller.SELF, RelPath.of(p), 0100000 | mode, flags | O_CREAT);
            }

            @Override
            public int read(long h, byte[] buf, int len, long off) throws FsException {
                return o.read(h, buf, len, off);
            }

            @Override
            public int write(long h, byte[] buf, int len, long off) throws FsException {
                return o.write(h, buf, len, off);
            }

            @Override
            public void close(long h) {
                o.release(h);
            }

            @Override
            public void mkdir(String p, int mode) throws FsException {
                o.mkdir(Caller.SELF, RelPath.of(p), mode);
            }

            @Override
            public void rmdir(String p) throws FsException {
                o.rmdir(RelPath.of(p));
            }

            @Override
            public void unlink(String p) throws FsException {
                o.unlink(RelPath.of(p));
            }

            @Override
            public void rename(String from, String to) throws FsException {
                o.rename(RelPath.of(from), RelPath.of(to), 0);
            }

            @Override
            public void chmod(String p, int mode) throws FsException {
                o.chmod(RelPath.of(p), mode);
            }
        };
    }

    /** A mounted view: every call is one syscall on mnt/p, as a program on the mount makes it. */
    static FsOps mounted(Path mnt) {
        String root = mnt.toAbsolutePath().toString();
        return new FsOps() {
            private String at(String p) {
                return p.isEmpty() ? root : root + "/" + p;
            }

            @Override
            public String name() {
                return "fuse";
            }

            @Override
            public Stat stat(String p) throws FsException {
                return Native.lstat(at(p));
            }

            @Override
            public List<DirEntry> entries(String dir) throws FsException {
                return Native.readdir(at(dir));
            }

            @Override
            public long open(String p, int flags) throws FsException {
                return Native.open(at(p), flags, 0);
            }

            @Override
            public long create(String p, int flags, int mode) throws FsException {
                return Native.open(at(p), flags | O_CREAT, mode);
            }

            @Override
            public int read(long h, byte[] buf, int len, long off) throws FsException {
                return Native.pread((int) h, buf, len, off);
            }

            @Override
            public int write(long h, byte[] buf, int len, long off) throws FsException {
                return Native.pwrite((int) h, buf, len, off);
            }

            @Override
            public void close(long h) {
                Native.close((int) h);
            }

            @Override
            public void mkdir(String p, int mode) throws FsException {
                Native.mkdir(at(p), mode);
            }

            @Override
            public void rmdir(String p) throws FsException {
                Native.rmdir(at(p));
            }

            @Override
            public void unlink(String p) throws FsException {
                Native.unlink(at(p));
            }

            @Override
            public void rename(String from, String to) throws FsException {
                Native.rename(at(from), at(to), 0);
            }

            @Override
            public void chmod(String p, int mode) throws FsException {
                Native.chmod(at(p), mode);
            }
        };
    }
}
