package io.github.jovl.scenario;

import io.github.jovl.fs.FsException;
import io.github.jovl.sys.Native;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Real system calls on a mounted merged view. Mounts in the constructor and unmounts in {@link #close()}, so a
 * try-with-resources around a scenario run never leaves a mount behind, even when the run fails.
 */
public final class MountedDriver extends HostView implements Driver {
    private final Mounter mounter;
    private final LayerDirs dirs;
    private final Path mountpoint;
    private boolean mounted;

    public MountedDriver(Mounter mounter, LayerDirs dirs, Path mountpoint) throws Exception {
        super(mountpoint);
        this.mounter = mounter;
        this.dirs = dirs;
        this.mountpoint = mountpoint;
        mount();
    }

    private void mount() throws Exception {
        mounter.mount(dirs.lowers(), dirs.upper(), dirs.work(), mountpoint);
        mounted = true;
    }

    @Override
    public String name() {
        return mounter.name();
    }

    @Override
    public io.github.jovl.config.WhiteoutFormat whiteoutFormat() {
        return mounter.whiteoutFormat();
    }

    @Override
    public String opaquePrefix() {
        return mounter.opaquePrefix();
    }

    @Override
    public void write(String path, int oflags, int createMode, byte[] data, boolean atEnd) throws FsException {
        int fd = Native.open(abs(path), oflags, createMode);
        try {
            write(fd, data, atEnd ? Native.fstat(fd).size() : 0);
        } finally {
            Native.close(fd);
        }
    }

    @Override
    public long open(String path, int oflags) throws FsException {
        return Native.open(abs(path), oflags, 0);
    }

    @Override
    public byte[] read(long fd) throws FsException {
        return readFd(fd);
    }

    @Override
    public void write(long fd, byte[] data, long offset) throws FsException {
        int done = 0;
        while (done < data.length) {
            byte[] chunk = java.util.Arrays.copyOfRange(data, done, data.length);
            done += Native.pwrite((int) fd, chunk, chunk.length, offset + done);
        }
    }

    @Override
    public void close(long fd) {
        Native.close((int) fd);
    }

    @Override
    public void mkdir(String path, int mode) throws FsException {
        Native.mkdir(abs(path), mode);
    }

    @Override
    public void mknod(String path, int mode, long rdev) throws FsException {
        Native.mknod(abs(path), mode, rdev);
    }

    @Override
    public void symlink(String target, String linkPath) throws FsException {
        Native.symlink(target, abs(linkPath));
    }

    @Override
    public void link(String from, String to) throws FsException {
        Native.link(abs(from), abs(to));
    }

    @Override
    public void unlink(String path) throws FsException {
        Native.unlink(abs(path));
    }

    @Override
    public void rmdir(String path) throws FsException {
        Native.rmdir(abs(path));
    }

    @Override
    public void rename(String from, String to, int flags) throws FsException {
        Native.rename(abs(from), abs(to), flags);
    }

    @Override
    public void chmod(String path, int mode) throws FsException {
        Native.chmod(abs(path), mode);
    }

    @Override
    public void chown(String path, int uid, int gid) throws FsException {
        Native.lchown(abs(path), uid, gid);
    }

    @Override
    public void truncate(String path, long size) throws FsException {
        Native.truncate(abs(path), size);
    }

    @Override
    public void utimens(String path, long aSec, long aNsec, long mSec, long mNsec) throws FsException {
        Native.utimens(abs(path), aSec, aNsec, mSec, mNsec);
    }

    @Override
    public void setxattr(String path, String name, byte[] value, int flags) throws FsException {
        Native.setxattr(abs(path), name, value, flags);
    }

    @Override
    public void removexattr(String path, String name) throws FsException {
        Native.removexattr(abs(path), name);
    }

    @Override
    public void remount() throws Exception {
        close();
        mount();
    }

    @Override
    public void close() throws IOException {
        if (mounted) {
            mounted = false;
            try {
                mounter.unmount(mountpoint);
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while unmounting " + mountpoint, e);
            } catch (Exception e) {
                throw new IOException("unmounting " + mountpoint + ": " + e.getMessage(), e);
            }
        }
    }
}
