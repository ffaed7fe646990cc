package io.github.jovl.scenario;

import io.github.jovl.config.OverlayConfig;
import io.github.jovl.config.WhiteoutFormat;
import io.github.jovl.fs.Caller;
import io.github.jovl.fs.DirEntry;
import io.github.jovl.fs.FsException;
import io.github.jovl.fs.RelPath;
import io.github.jovl.fs.Stat;
import io.github.jovl.sys.Native;
import io.github.jovl.union.Overlay;
import java.io.ByteArrayOutputStream;
import java.util.List;

/** Drives the union engine directly: no mount, no kernel, each call one {@link Overlay} method. */
public final class EngineDriver implements Driver {
    private final OverlayConfig config;
    private Overlay overlay;

    public EngineDriver(OverlayConfig config) throws FsException {
        this.config = config;
        this.overlay = Overlay.open(config);
    }

    public Overlay overlay() {
        return overlay;
    }

    @Override
    public String name() {
        return "engine";
    }

    @Override
    public WhiteoutFormat whiteoutFormat() {
        return overlay.whiteoutFormat();
    }

    @Override
    public String opaquePrefix() {
        return overlay.xattrNamespace().prefix();
    }

    /** Paths are parsed inside each call, so a bad name fails as that call's errno (ENAMETOOLONG...). */

    @Override
    public Stat lstat(String path) throws FsException {
        return overlay.getattr(VfsPaths.resolve(overlay, path, false));
    }

    @Override
    public List<DirEntry> readdir(String path) throws FsException {
        return overlay.readdir(VfsPaths.resolve(overlay, path, true));
    }

    @Override
    public String readlink(String path) throws FsException {
        return overlay.readlink(VfsPaths.resolve(overlay, path, false));
    }

    @Override
    public byte[] read(String path) throws FsException {
        long fh = overlay.open(VfsPaths.resolve(overlay, path, true), Native.O_RDONLY);
        try {
            return read(fh);
        } finally {
            overlay.release(fh);
        }
    }

    @Override
    public void write(String path, int oflags, int createMode, byte[] data, boolean atEnd) throws FsException {
        // O_CREAT|O_EXCL never follows a final symlink; other opens do (and O_CREAT makes a dangling target)
        boolean excl = (oflags & Native.O_CREAT) != 0 && (oflags & Native.O_EXCL) != 0;
        RelPath rp = VfsPaths.resolve(overlay, path, !excl && (oflags & Native.O_NOFOLLOW) == 0);
        long fh = (oflags & Native.O_CREAT) != 0 ? overlay.create(Caller.SELF, rp, createMode, oflags)
                : overlay.open(rp, oflags);
        try {
            write(fh, data, atEnd ? overlay.fgetattr(fh).size() : 0);
        } finally {
            overlay.release(fh);
        }
    }

    @Override
    public long open(String path, int oflags) throws FsException {
        return overlay.open(VfsPaths.resolve(overlay, path, (oflags & Native.O_NOFOLLOW) == 0), oflags);
    }

    @Override
    public byte[] read(long fh) throws FsException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        long off = 0;
        int n;
        while ((n = overlay.read(fh, buf, buf.length, off)) > 0) {
            out.write(buf, 0, n);
            off += n;
        }
        return out.toByteArray();
    }

    @Override
    public void write(long fh, byte[] data, long offset) throws FsException {
        int done = 0;
        while (done < data.length) {
            byte[] chunk = java.util.Arrays.copyOfRange(data, done, data.length);
            done += overlay.write(fh, chunk, chunk.length, offset + done);
        }
    }

    @Override
    public void close(long fh) {
        overlay.release(fh);
    }

    @Override
    public void mkdir(String path, int mode) throws FsException {
        overlay.mkdir(Caller.SELF, VfsPaths.resolve(overlay, path, false), mode);
    }

    @Override
    public void mknod(String path, int mode, long rdev) throws FsException {
        overlay.mknod(Caller.SELF, VfsPaths.resolve(overlay, path, false), mode, rdev);
    }

    @Override
    public void symlink(String target, String linkPath) throws FsException {
        overlay.symlink(Caller.SELF, target, VfsPaths.resolve(overlay, linkPath, false));
    }

    @Override
    public void link(String from, String to) throws FsException {
        // link(2) resolves the old path completely (ENOENT) before it looks at the new one
        RelPath old = VfsPaths.resolve(overlay, from, false);
        overlay.getattr(old);
        overlay.link(old, VfsPaths.resolve(overlay, to, false));
    }

    @Override
    public void unlink(String path) throws FsException {
        overlay.unlink(VfsPaths.resolve(overlay, path, false));
    }

    @Override
    public void rmdir(String path) throws FsException {
        overlay.rmdir(VfsPaths.resolve(overlay, path, false));
    }

    @Override
    public void rename(String from, String to, int flags) throws FsException {
        overlay.rename(VfsPaths.resolve(overlay, from, false), VfsPaths.resolve(overlay, to, false), flags);
    }

    @Override
    public void chmod(String path, int mode) throws FsException {
        overlay.chmod(VfsPaths.resolve(overlay, path, true), mode);
    }

    @Override
    public void chown(String path, int uid, int gid) throws FsException {
        overlay.chown(VfsPaths.resolve(overlay, path, false), uid, gid);
    }

    @Override
    public void truncate(String path, long size) throws FsException {
        overlay.truncate(VfsPaths.resolve(overlay, path, true), size);
    }

    @Override
    public void utimens(String path, long aSec, long aNsec, long mSec, long mNsec) throws FsException {
        overlay.utimens(VfsPaths.resolve(overlay, path, false), aSec, aNsec, mSec, mNsec);
    }

    @Override
    public byte[] getxattr(String path, String name) throws FsException {
        return overlay.getxattr(VfsPaths.resolve(overlay, path, false), name);
    }

    @Override
    public List<String> listxattr(String path) throws FsException {
        return overlay.listxattr(VfsPaths.resolve(overlay, path, false));
    }

    @Override
    public void setxattr(String path, String name, byte[] value, int flags) throws FsException {
        overlay.setxattr(VfsPaths.resolve(overlay, path, false), name, value, flags);
    }

    @Override
    public void removexattr(String path, String name) throws FsException {
        overlay.removexattr(VfsPaths.resolve(overlay, path, false), name);
    }

    @Override
    public void remount() throws FsException {
        overlay.close();
        overlay = null;
        overlay = Overlay.open(config);
    }

    @Override
    public void close() {
        if (overlay != null) {
            overlay.close();
            overlay = null;
        }
    }
}
