package io.github.jovl.sys;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/** The libc functions jovl calls. Only {@link Native} uses this interface. */
public interface LibC {
    int statx(int dirfd, String path, int flags, int mask, Pointer buf);

    /** path already encoded and NUL-terminated: the lookup's hot path skips jnr's CharsetEncoder. */
    int statx(int dirfd, @In byte[] path, int flags, int mask, Pointer buf);

    int mknod(String path, int mode, long dev);

    @ssize_t long lgetxattr(String path, String name, @Out byte[] value, @size_t long size);

    int lsetxattr(String path, String name, @In byte[] value, @size_t long size, int flags);

    @ssize_t long llistxattr(String path, @Out byte[] list, @size_t long size);

    int lremovexattr(String path, String name);

    int renameat2(int olddirfd, String oldpath, int newdirfd, String newpath, int flags);

    int utimensat(int dirfd, String path, @In long[] times, int flags);

    int lchown(String path, int uid, int gid);

    int chmod(String path, int mode);

    int open(String path, int flags, int mode);

    int close(int fd);

    @ssize_t long pread(int fd, Pointer buf, @size_t long count, long offset);

    @ssize_t long pwrite(int fd, Pointer buf, @size_t long count, long offset);

    @ssize_t long pread(int fd, @Out byte[] buf, @size_t long count, long offset);

    @ssize_t long pwrite(int fd, @In byte[] buf, @size_t long count, long offset);

    int fsync(int fd);

    int fdatasync(int fd);

    int ftruncate(int fd, long length);

    int truncate(String path, long length);

    int mkdir(String path, int mode);

    int rmdir(String path);

    int unlink(String path);

    int symlink(String target, String linkpath);

    int link(String oldpath, String newpath);

    @ssize_t long readlink(String path, @Out byte[] buf, @size_t long size);

    int statvfs(String path, Pointer buf);

    @ssize_t long copy_file_range(int fdIn, Pointer offIn, int fdOut, Pointer offOut, @size_t long len, int flags);

    int ioctl(int fd, long request, int arg);

    Pointer opendir(String path);

    Pointer readdir(Pointer dir);

    int closedir(Pointer dir);

    int mount(String source, String target, String fstype, long flags, String data);

    int umount2(String target, int flags);

    int geteuid();

    int umask(int mask);

    int flock(int fd, int operation);
}
