package io.github.jovl.union;

import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FsException;
import io.github.jovl.fs.RelPath;
import io.github.jovl.fs.Stat;
import io.github.jovl.fs.Utime;
import io.github.jovl.layer.Layer;
import io.github.jovl.whiteout.Markers;
import java.util.ArrayList;
import java.util.List;

/**
 * Attributes and xattrs (the kernel's inode.c). Reads go to the top object; every change first copies the
 * object up. Overlay-private xattrs never pass through: they describe the layers, not the files.
 */
final class InodeOps {
    private final Layer[] layers;
    private final Lookup lookup;
    private final CopyUp copyUp;
    private final LookupCache cache;

    InodeOps(Layer[] layers, Lookup lookup, CopyUp copyUp, LookupCache cache) {
        this.layers = layers;
        this.lookup = lookup;
        this.copyUp = copyUp;
        this.cache = cache;
    }

    Stat getattr(RelPath p) throws FsException {
        if (cache.node(p) == null) {
            // not cached: libfuse2 asks getattr for each LOOKUP, and the layers were just read for it, so the top
            // object's stat is as current as a second lstat would be
            Node n = lookup.load(p);
            if (n == null) {
                throw FsException.of(Errno.ENOENT, p);
            }
            return decorate(n, n.stat());
        }
        Node n = lookup.get(p);
        Stat st = layers[n.layer()].lstat(p);
        if (st == null) { // the layer changed under us: look again rather than report a ghost
            cache.changed(p);
            n = lookup.get(p);
            st = layers[n.layer()].lstat(p);
            if (st == null) {
                throw FsException.of(Errno.ENOENT, p);
            }
        }
        return decorate(n, st);
    }

    /** The overlay's view of a real stat: the stable inode number, and nlink 1 for merged directories. */
    static Stat decorate(Node n, Stat st) {
        Stat s = st.withIno(n.ino());
        return n.isDir() && n.isMerged() ? s.withNlink(1) : s;
    }

    void chmod(RelPath p, int mode) throws FsException {
        Node n = lookup.get(p);
        if (n.stat().isSymlink()) {
            throw FsException.of(Errno.EOPNOTSUPP, p); // as lchmod: the VFS resolves links before a real chmod
        }
        copyUp.ensureUpper(n, true);
        layers[0].chmod(p, mode & 07777);
    }

    void chown(RelPath p, int uid, int gid) throws FsException {
        copyUp.ensureUpper(lookup.get(p), true);
        layers[0].lchown(p, uid, gid);
    }

    void truncate(RelPath p, long size) throws FsException {
        Node n = lookup.get(p);
        if (n.isDir()) {
            throw FsException.of(Errno.EISDIR, p);
        }
        if (n.stat().isSymlink()) {
            throw FsException.of(Errno.ELOOP, p); // the engine takes resolved paths; it never follows a link
        }
        if (size < 0) {
            throw FsException.of(Errno.EINVAL, p);
        }
        copyUp.ensureUpper(n, size > 0);
        layers[0].truncate(p, size);
    }

    void utimens(RelPath p, long aSec, long aNsec, long mSec, long mNsec) throws FsException {
        Node n = lookup.get(p);
        if (aNsec == Utime.OMIT && mNsec == Utime.OMIT) {
            return; // nothing to change, so nothing to copy up
        }
        copyUp.ensureUpper(n, true);
        layers[0].utimens(p, aSec, aNsec, mSec, mNsec);
    }

    byte[] getxattr(RelPath p, String name) throws FsException {
        Node n = lookup.get(p);
        byte[] v = Markers.isPrivateXattr(name) ? null : layers[n.layer()].getxattr(p, name);
        if (v == null) {
            throw new FsException(Errno.ENODATA, p.toString(), name);
        }
        return v;
    }

    List<String> listxattr(RelPath p) throws FsException {
        Node n = lookup.get(p);
        List<String> out = new ArrayList<>();
        for (String name : layers[n.layer()].listxattr(p)) {
            if (!Markers.isPrivateXattr(name)) {
                out.add(name);
            }
        }
        return out;
    }

    void setxattr(RelPath p, String name, byte[] value, int flags) throws FsException {
        refusePrivate(p, name);
        Node n = lookup.get(p);
        refuseUserOnSpecial(n, name);
        copyUp.ensureUpper(n, true);
        layers[0].setxattr(p, name, value, flags);
    }

    void removexattr(RelPath p, String name) throws FsException {
        refusePrivate(p, name);
        Node n = lookup.get(p);
        refuseUserOnSpecial(n, name);
        if (layers[n.layer()].getxattr(p, name) == null) {
            throw new FsException(Errno.ENODATA, p.toString(), name); // nothing to remove: no copy-up either
        }
        copyUp.ensureUpper(n, true);
        layers[0].removexattr(p, name);
    }

    /** The VFS allows user.* only on regular files and directories, and says so before the overlay sees it. */
    private static void refuseUserOnSpecial(Node n, String name) throws FsException {
        if (name.startsWith("user.") && !n.stat().isRegular() && !n.isDir()) {
            throw new FsException(Errno.EPERM, n.path().toString(), name);
        }
    }

    private static void refusePrivate(RelPath p, String name) throws FsException {
        if (Markers.isPrivateXattr(name)) {
            throw new FsException(Errno.EOPNOTSUPP, p.toString(), name + " belongs to the overlay itself");
        }
    }
}
