package io.github.jovl.layer;

import io.github.jovl.fs.DirEntry;
import io.github.jovl.fs.FsException;
import io.github.jovl.fs.RelPath;
import io.github.jovl.fs.Stat;
import io.github.jovl.fs.StatFs;
import io.github.jovl.sys.Native;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * One layer: a real directory. Every operation takes a path relative to the layer root; a {@link RelPath} has no
 * ".." and the engine only descends through names this layer holds as real directories, so nothing resolves
 * through a symlink out of the root.
 */
public final class Layer {
    private final Path root;
    private final String rootText;
    /** rootText and a '/', encoded as jnr encodes Strings (the default charset). */
    private final byte[] rootSlash;
    private final int index;
    private final boolean upper;

    public Layer(Path root, int index, boolean upper) {
        this.root = root;
        this.rootText = root.toString();
        this.rootSlash = (rootText + "/").getBytes(Charset.defaultCharset());
        this.index = index;
        this.upper = upper;
    }

    public Path root() {
        return root;
    }

    /** 0 for the upper (when there is one), then the lowers from the top. */
    public int index() {
        return index;
    }

    public boolean isUpper() {
        return upper;
    }

    /** The host path of p in this layer. */
    public String abs(RelPath p) {
        return p.isRoot() ? rootText : rootText + "/" + p;
    }

    public Stat lstat(RelPath p) throws FsException {
        return Native.lstatOrNull(cpath(p));
    }

    /** abs(p) encoded and NUL-terminated, for the native calls made on every lookup. */
    private byte[] cpath(RelPath p) {
        if (p.isRoot()) {
            byte[] b = Arrays.copyOf(rootSlash, rootSlash.length);
            b[b.length - 1] = 0;
            return b;
        }
        byte[] rel = p.toString().getBytes(Charset.defaultCharset());
        byte[] b = Arrays.copyOf(rootSlash, rootSlash.length + rel.length + 1);
        System.arraycopy(rel, 0, b, rootSlash.length, rel.length);
        return b;
    }

    public List<DirEntry> list(RelPath dir) throws FsException {
        return Native.readdir(abs(dir));
    }

    public String readlink(RelPath p) throws FsException {
        return Native.readlink(abs(p));
    }

    public byte[] getxattr(RelPath p, String name) throws FsException {
        return Native.getxattrOrNull(abs(p), name);
    }

    public List<String> listxattr(RelPath p) throws FsException {
        return Native.listxattr(abs(p));
    }

    public void setxattr(RelPath p, String name, byte[] value, int flags) throws FsException {
        Native.setxattr(abs(p), name, value, flags);
    }

    public void removexattr(RelPath p, String name) throws FsException {
        Native.removexattr(abs(p), name);
    }

    /** Never follows a final symlink: a link in a layer is an object of the view, not a way into the host. */
    public int open(RelPath p, int flags, int mode) throws FsException {
        return Native.open(abs(p), flags | Native.O_NOFOLLOW, mode);
    }

    public void mkdir(RelPath p, int mode) throws FsException {
        Native.mkdir(abs(p), mode);
    }

    public void mknod(RelPath p, int mode, long rdev) throws FsException {
        Native.mknod(abs(p), mode, rdev);
    }

    public void symlink(String target, RelPath p) throws FsException {
        Native.symlink(target, abs(p));
    }

    public void link(RelPath from, RelPath to) throws FsException {
        Native.link(abs(from), abs(to));
    }

    public void unlink(RelPath p) throws FsException {
        Native.unlink(abs(p));
    }

    public void rmdir(RelPath p) throws FsException {
        Native.rmdir(abs(p));
    }

    public void rename(RelPath from, RelPath to, int flags) throws FsException {
        Native.rename(abs(from), abs(to), flags);
    }

    public void chmod(RelPath p, int mode) throws FsException {
        Native.chmodNoFollow(abs(p), mode);
    }

    public void lchown(RelPath p, int uid, int gid) throws FsException {
        Native.lchown(abs(p), uid, gid);
    }

    public void truncate(RelPath p, long size) throws FsException {
        Native.truncateNoFollow(abs(p), size);
    }

    public void utimens(RelPath p, long aSec, long aNsec, long mSec, long mNsec) throws FsException {
        Native.utimens(abs(p), aSec, aNsec, mSec, mNsec);
    }

    public StatFs statfs() throws FsException {
        return Native.statvfs(rootText);
    }

    /** Renames between two layers on one filesystem (the workdir and the upper), e.g. to finish a copy-up. */
    public static void renameBetween(Layer from, RelPath a, Layer to, RelPath b, int flags) throws FsException {
        Native.rename(from.abs(a), to.abs(b), flags);
    }

    /** Hard-links between two layers on one filesystem (the upper and the workdir). */
    public static void linkBetween(Layer from, RelPath a, Layer to, RelPath b) throws FsException {
        Native.link(from.abs(a), to.abs(b));
    }

    @Override
    public String toString() {
        return (upper ? "upper " : "lower " + index + " ") + root;
    }
}
