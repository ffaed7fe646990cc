package io.github.jovl.scenario;

import io.github.jovl.fs.DirEntry;
import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FileType;
import io.github.jovl.fs.FsException;
import io.github.jovl.fs.Stat;
import io.github.jovl.sys.LibC;
import io.github.jovl.sys.Native;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Pointer;

/**
 * A real directory read with real system calls ({@code sys.Native}, which keeps the errno that NIO loses). Used
 * for raw snapshots of the upper and lowers, and as the read half of {@link MountedDriver}.
 */
public class HostView implements View {
    protected final String root;

    public HostView(Path root) {
        this.root = root.toAbsolutePath().toString();
    }

    /** Plain string concatenation: a Path would not let a 256-byte name reach the kernel unchanged. */
    protected String abs(String path) {
        return path.isEmpty() ? root : root + "/" + path;
    }

    /**
     * Native.lstat reports ENOTDIR as ENOENT (absent is all the engine needs to know); a driver must give the
     * errno the kernel gave, which is still in the thread's last error when lstatOrNull returns null.
     */
    @Override
    public Stat lstat(String path) throws FsException {
        Stat st = Native.lstatOrNull(abs(path));
        if (st == null) {
            throw new FsException(Errno.of(Native.errno()), abs(path));
        }
        return st;
    }

    /** getdents through libc's readdir, "." and ".." included, d_type as the filesystem reports it. */
    @Override
    public List<DirEntry> readdir(String path) throws FsException {
        LibC c = Native.libc();
        String dir = abs(path);
        Pointer d = c.opendir(dir);
        if (d == null || d.address() == 0) {
            throw new FsException(Errno.of(Native.errno()), dir);
        }
        List<DirEntry> out = new ArrayList<>();
        try {
            Pointer ent;
            while ((ent = c.readdir(d)) != null && ent.address() != 0) {
                // struct dirent64: d_ino u64 @0, d_off @8, d_reclen u16 @16, d_type u8 @18, d_name @19
                String name = ent.getString(19, 256, StandardCharsets.UTF_8);
                out.add(new DirEntry(name, FileType.ofDtype(ent.getByte(18) & 0xff), ent.getLong(0)));
            }
        } finally {
            c.closedir(d);
        }
        return out;
    }

    @Override
    public String readlink(String path) throws FsException {
        return Native.readlink(abs(path));
    }

    @Override
    public byte[] read(String path) throws FsException {
        int fd = Native.open(abs(path), Native.O_RDONLY, 0);
        try {
            return readFd(fd);
        } finally {
            Native.close(fd);
        }
    }

    static byte[] readFd(long fd) throws FsException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        long off = 0;
        int n;
        while ((n = Native.pread((int) fd, buf, buf.length, off)) > 0) {
            out.write(buf, 0, n);
            off += n;
        }
        return out.toByteArray();
    }

    @Override
    public byte[] getxattr(String path, String name) throws FsException {
        byte[] v = Native.getxattrOrNull(abs(path), name);
        if (v == null) {
            throw new FsException(Errno.ENODATA, abs(path), name);
        }
        return v;
    }

    @Override
    public List<String> listxattr(String path) throws FsException {
        return Native.listxattr(abs(path));
    }

    @Override
    public String toString() {
        return root;
    }
}
