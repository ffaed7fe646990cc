package io.github.jovl.union;

import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FsException;
import io.github.jovl.fs.RelPath;
import io.github.jovl.fs.Stat;
import io.github.jovl.layer.FileIo;
import io.github.jovl.layer.Layer;
import io.github.jovl.whiteout.Markers;
import java.nio.charset.StandardCharsets;

/**
 * Copy-up (the kernel's copy_up.c): parents first; each object is built under a temporary name in the workdir
 * (data, then xattrs, then owner, mode and times), fsynced, and only then renamed into the upper. Until that
 * rename the upper is unchanged; a failure removes the temporary. Callers hold the engine's write lock, so two
 * threads never copy up the same object.
 */
final class CopyUp {
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY_CREAT_EXCL = 01 | 0100 | 0200;
    private static final int RENAME_NOREPLACE = 1;

    private final Layer[] layers;
    private final Layer upper;
    private final WorkDir work;
    private final Lookup lookup;
    private final LookupCache cache;
    private final OpenFiles files;
    private final String originXattr;
    private final boolean sync;
    private final OverlayEvents events;
    private final Markers markers;

    CopyUp(Layer[] layers, WorkDir work, Lookup lookup, LookupCache cache, OpenFiles files, String originXattr,
           boolean sync, OverlayEvents events, Markers markers) {
        this.layers = layers;
        this.markers = markers;
        this.events = events;
        this.upper = layers[0];
        this.work = work;
        this.lookup = lookup;
        this.cache = cache;
        this.files = files;
        this.originXattr = originXattr;
        this.sync = sync;
    }

    /** Makes sure directory dir exists in the upper, copying up its ancestors first. Returns its node. */
    Node ensureDir(RelPath dir) throws FsException {
        Node n = lookup.getDir(dir);
        if (n.layer() == 0) {
            return n;
        }
        ensureDir(dir.parent());
        return copyUp(n, true);
    }

    /** Makes n's object exist in the upper; withData false builds an empty file (open with O_TRUNC, truncate 0). */
    Node ensureUpper(Node n, boolean withData) throws FsException {
        if (n.layer() == 0) {
            return n;
        }
        ensureDir(n.path().parent());
        return copyUp(n, withData);
    }

    private Node copyUp(Node n, boolean withData) throws FsException {
        Layer src = layers[n.layer()];
        RelPath p = n.path();
        Stat st = src.lstat(p);
        if (st == null) {
            throw FsException.of(Errno.ENOENT, p);
        }
        long t0 = System.nanoTime();
        Layer wl = work.layer();
        RelPath tmp = work.temp();
        try {
            build(src, p, st, wl, tmp, withData);
            copyXattrs(src, p, wl, tmp);
            recordOrigin(wl, tmp, n.ino());
            wl.lchown(tmp, st.uid(), st.gid());
            if (!st.isSymlink()) {
                wl.chmod(tmp, st.permissions()); // after chown, which clears setuid bits
            }
            setTimes(wl, tmp, st);
            // the rename touches the parent; copy-up is not a change to the directory, so put its times back
            Stat parentSt = upper.lstat(p.parent());
            Layer.renameBetween(wl, tmp, upper, p, RENAME_NOREPLACE);
            if (markers.markImpure(upper, p.parent())) {
                cache.changed(p.parent()); // its marks changed: its node must be read again
            }
            setTimes(upper, p.parent(), parentSt);
        } catch (FsException | RuntimeException e) {
            try {
                work.removeTree(tmp);
            } catch (FsException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        cache.changed(p);
        events.copiedUp(p, src.toString(), st.isRegular() && withData ? st.size() : 0, System.nanoTime() - t0);
        Node copied = lookup.get(p);
        if (!st.isDir()) {
            files.copiedUp(p, upper);
        }
        return copied;
    }

    private static void setTimes(Layer l, RelPath p, Stat st) throws FsException {
        l.utimens(p, Math.floorDiv(st.atimeNs(), 1_000_000_000L), Math.floorMod(st.atimeNs(), 1_000_000_000L),
                Math.floorDiv(st.mtimeNs(), 1_000_000_000L), Math.floorMod(st.mtimeNs(), 1_000_000_000L));
    }

    private void build(Layer src, RelPath p, Stat st, Layer wl, RelPath tmp, boolean withData) throws FsException {
        switch (st.type()) {
            case DIRECTORY -> wl.mkdir(tmp, 0700);
            case SYMLINK -> wl.symlink(src.readlink(p), tmp);
            case REGULAR -> copyData(src, p, st, wl, tmp, withData);
            default -> wl.mknod(tmp, st.type().bits | (st.permissions() & 0777), st.rdev());
        }
    }

    private void copyData(Layer src, RelPath p, Stat st, Layer wl, RelPath tmp, boolean withData)
            throws FsException {
        int out = wl.open(tmp, O_WRONLY_CREAT_EXCL, 0600);
        try {
            if (withData && st.size() > 0) {
                int in = src.open(p, O_RDONLY, 0);
                try {
                    FileIo.copyAll(in, out, st.size());
                } finally {
                    FileIo.close(in);
                }
            }
            if (sync) {
                FileIo.sync(out, false);
            }
        } finally {
            FileIo.close(out);
        }
    }

    private static void copyXattrs(Layer src, RelPath p, Layer wl, RelPath tmp) throws FsException {
        for (String name : src.listxattr(p)) {
            if (Markers.isPrivateXattr(name)) {
                continue; // overlay's own marks describe the layer they are in, not the object
            }
            byte[] v = src.getxattr(p, name);
            if (v == null) {
                continue;
            }
            try {
                wl.setxattr(tmp, name, v, 0);
            } catch (FsException e) {
                if (e.errno() != Errno.EOPNOTSUPP) {
                    throw e;
                }
            }
        }
    }

    /** Keeps the inode number the object had below, so it does not change under a running program. */
    private void recordOrigin(Layer wl, RelPath tmp, long ino) {
        try {
            wl.setxattr(tmp, originXattr, Long.toString(ino).getBytes(StandardCharsets.US_ASCII), 0);
        } catch (FsException e) {
            // user.* xattrs are refused on symlinks: that object alone gets a new number after copy-up
        }
    }
}
