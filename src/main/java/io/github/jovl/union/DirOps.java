package io.github.jovl.union;

import io.github.jovl.fs.Caller;
import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FsException;
import io.github.jovl.fs.RelPath;
import io.github.jovl.fs.Stat;
import io.github.jovl.layer.Layer;
import io.github.jovl.whiteout.Markers;

/**
 * Changes to names (the kernel's dir.c): create, mkdir, mknod, symlink, link, unlink, rmdir and rename, with
 * the whiteouts and opaque directories they leave. Callers hold the engine's write lock.
 */
final class DirOps {
    static final int RENAME_NOREPLACE = 1;
    static final int RENAME_EXCHANGE = 2;
    private static final int RENAME_WHITEOUT = 4;
    private static final int S_ISGID = 02000;

    /** Makes one new object at a path of a layer; returns an fd for files, else -1. */
    interface Maker {
        int make(Layer layer, RelPath at) throws FsException;
    }

    private final Layer upper;
    private final WorkDir work;
    private final Markers markers;
    private final Lookup lookup;
    private final MergedDir merged;
    private final CopyUp copyUp;
    private final LookupCache cache;
    private final OpenFiles files;
    private final int umask;
    private final boolean root;
    private final OverlayEvents events;

    DirOps(Layer upper, WorkDir work, Markers markers, Lookup lookup, MergedDir merged, CopyUp copyUp,
           LookupCache cache, OpenFiles files, int umask, boolean root, OverlayEvents events) {
        this.upper = upper;
        this.events = events;
        this.work = work;
        this.markers = markers;
        this.lookup = lookup;
        this.merged = merged;
        this.copyUp = copyUp;
        this.cache = cache;
        this.files = files;
        this.umask = umask;
        this.root = root;
    }

    /**
     * Creates a new object at p, which must show nothing. Over a whiteout the object is built in the workdir and
     * renamed over it, so the name is never missing; a directory made there becomes opaque, since what the
     * whiteout hid must stay hidden.
     */
    int create(Caller c, RelPath p, int mode, boolean dir, Maker maker) throws FsException {
        refuseMarkerName(p);
        if (lookup.find(p) != null) {
            throw FsException.of(Errno.EEXIST, p);
        }
        Node parent = copyUp.ensureDir(p.parent());
        Stat parentSt = upper.lstat(parent.path());
        Stat there = upper.lstat(p);
        boolean chardevWhiteout = there != null && Markers.isChardevWhiteout(there);
        if (there != null && !chardevWhiteout && !markers.isWhiteout(upper, p, there, true)) {
            throw FsException.of(Errno.EEXIST, p); // hidden by something we do not understand: leave it be
        }
        boolean whiteoutFile = markers.hasWhiteoutFile(upper, p);
        int fd;
        if (there != null) {
            Layer wl = work.layer();
            RelPath tmp = work.temp();
            try {
                fd = maker.make(wl, tmp);
                finish(c, wl, tmp, mode, dir, parentSt);
                if (dir) {
                    markers.setOpaque(wl, tmp);
                    events.opaqueCreated(p, markers.opaqueForm());
                    Layer.renameBetween(wl, tmp, upper, p, RENAME_EXCHANGE);
                    wl.unlink(tmp); // the whiteout, swapped out
                } else {
                    Layer.renameBetween(wl, tmp, upper, p, 0);
                }
            } catch (FsException | RuntimeException e) {
                work.removeTree(tmp);
                throw e;
            }
        } else {
            fd = maker.make(upper, p);
            finish(c, upper, p, mode, dir, parentSt);
            if (dir && whiteoutFile) {
                markers.setOpaque(upper, p);
                events.opaqueCreated(p, markers.opaqueForm());
            }
        }
        if (whiteoutFile) {
            upper.unlink(whiteoutName(p));
        }
        cache.changed(p);
        return fd;
    }

    /**
     * Owner and mode as the kernel gives them: the caller's ids, the group of a setgid parent. A null caller
     * means a new name for an existing object (link), which keeps its owner and mode.
     */
    private void finish(Caller c, Layer l, RelPath at, int mode, boolean dir, Stat parentSt) throws FsException {
        if (c == null) {
            return;
        }
        boolean setgidParent = (parentSt.mode() & S_ISGID) != 0;
        int uid = c.isSelf() || !root ? -1 : c.uid();
        int gid = setgidParent ? parentSt.gid() : (c.isSelf() || !root ? -1 : c.gid());
        if (uid != -1 || gid != -1) {
            l.lchown(at, uid, gid);
        }
        if (mode < 0) {
            return; // symlinks have no mode of their own
        }
        int want = (mode & 07777) | (dir && setgidParent ? S_ISGID : 0);
        if ((want & umask) != 0 || (want & 07000) != 0) {
            l.chmod(at, want);
        }
    }

    void unlink(RelPath p) throws FsException {
        Node n = lookup.get(p);
        if (n.isDir()) {
            throw FsException.of(Errno.EISDIR, p);
        }
        boolean needWhiteout = lookup.lowerPositive(n);
        if (!needWhiteout) {
            upper.unlink(p);
        } else {
            copyUp.ensureDir(p.parent());
            whiteout(p, n.layer() == 0);
        }
        cache.changed(p);
    }

    void rmdir(RelPath p) throws FsException {
        if (p.isRoot()) {
            throw FsException.of(Errno.EBUSY, p);
        }
        Node n = lookup.get(p);
        if (!n.isDir()) {
            throw FsException.of(Errno.ENOTDIR, p);
        }
        if (!merged.isEmpty(n)) {
            throw FsException.of(Errno.ENOTEMPTY, p);
        }
        boolean needWhiteout = lookup.lowerPositive(n);
        if (n.layer() == 0) {
            merged.clearMarkers(upper, p);
            if (!needWhiteout) {
                upper.rmdir(p);
            } else if (markers.chardevWhiteouts()) {
                Layer wl = work.layer();
                RelPath tmp = work.temp();
                markers.makeChardevWhiteout(wl, tmp);
                Layer.renameBetween(wl, tmp, upper, p, RENAME_EXCHANGE);
                wl.rmdir(tmp); // the emptied directory, swapped out
                events.whiteoutCreated(p, "chardev");
            } else {
                markers.makeWhiteoutFile(upper, p);
                upper.rmdir(p);
                events.whiteoutCreated(p, "whfile");
            }
        } else {
            copyUp.ensureDir(p.parent());
            whiteout(p, false);
        }
        cache.changedTree(p);
    }

    /** Puts a whiteout at p; replaceUpper: the upper holds a non-directory there that the whiteout replaces. */
    private void whiteout(RelPath p, boolean replaceUpper) throws FsException {
        if (markers.chardevWhiteouts()) {
            Layer wl = work.layer();
            RelPath tmp = work.temp();
            markers.makeChardevWhiteout(wl, tmp);
            Layer.renameBetween(wl, tmp, upper, p, 0);
        } else {
            markers.makeWhiteoutFile(upper, p);
            if (replaceUpper) {
                upper.unlink(p);
            }
        }
        events.whiteoutCreated(p, markers.chardevWhiteouts() ? "chardev" : "whfile");
    }

    void link(RelPath from, RelPath to) throws FsException {
        // do_linkat's order: the source resolves, the new name is created (EEXIST), then vfs_link refuses dirs
        Node src = lookup.get(from);
        lookup.getDir(to.parent());
        if (lookup.find(to) != null) {
            throw FsException.of(Errno.EEXIST, to);
        }
        if (src.isDir()) {
            throw FsException.of(Errno.EPERM, from);
        }
        copyUp.ensureUpper(src, true);
        create(null, to, -1, false, (l, at) -> {
            Layer.linkBetween(upper, from, l, at);
            return -1;
        });
    }

    void rename(RelPath from, RelPath to, int flags) throws FsException {
        if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE)) != 0
                || (flags & (RENAME_NOREPLACE | RENAME_EXCHANGE)) == (RENAME_NOREPLACE | RENAME_EXCHANGE)) {
            throw FsException.of(Errno.EINVAL, from);
        }
        if (from.isRoot() || to.isRoot()) {
            throw FsException.of(Errno.EBUSY, from);
        }
        // the checks and their order are do_renameat2's, then vfs_rename's, so each case gets the kernel's errno
        lookup.getDir(from.parent());
        lookup.getDir(to.parent());
        Node src = lookup.get(from);
        refuseMarkerName(to);
        Node dst = lookup.find(to);
        boolean exchange = (flags & RENAME_EXCHANGE) != 0;
        if (dst != null && (flags & RENAME_NOREPLACE) != 0) {
            throw FsException.of(Errno.EEXIST, to);
        }
        if (exchange && dst == null) {
            throw FsException.of(Errno.ENOENT, to);
        }
        if (!from.equals(to) && to.startsWith(from)) {
            throw FsException.of(Errno.EINVAL, to); // the source is an ancestor of the target
        }
        if (!from.equals(to) && from.startsWith(to)) {
            throw FsException.of(exchange ? Errno.EINVAL : Errno.ENOTEMPTY, to); // the target is an ancestor
        }
        if (from.equals(to)) {
            return;
        }
        if (exchange) {
            exchange(src, dst);
            return;
        }
        if (dst != null) {
            if (src.isDir() && !dst.isDir()) {
                throw FsException.of(Errno.ENOTDIR, to);
            }
            if (!src.isDir() && dst.isDir()) {
                throw FsException.of(Errno.EISDIR, to);
            }
        }
        if (src.isDir() && (src.layer() != 0 || src.isMerged())) {
            throw FsException.of(Errno.EXDEV, from); // no redirect_dir: a lower directory cannot move
        }
        // ovl_rename checks a target dir's emptiness (after EXDEV) only when lower layers take part in it; for a
        // pure upper target the upper's own rename says ENOTEMPTY, after the moved dir was marked opaque
        boolean dstPureUpper = dst != null && dst.isDir() && dst.layer() == 0 && !dst.isMerged();
        if (dst != null && dst.isDir() && !dstPureUpper && !merged.isEmpty(dst)) {
            throw FsException.of(Errno.ENOTEMPTY, to);
        }
        boolean srcLowerPositive = lookup.lowerPositive(src);
        copyUp.ensureDir(from.parent());
        Node dstParent = copyUp.ensureDir(to.parent());
        copyUp.ensureUpper(src, true);
        if (dst != null && dst.isDir() && dst.layer() == 0 && !dstPureUpper) {
            merged.clearMarkers(upper, to);
        }
        opaqueIfMovingIntoMerged(src, dstParent, to);
        Stat there = upper.lstat(to);
        boolean overChardev = there != null && Markers.isChardevWhiteout(there);
        boolean chardev = markers.chardevWhiteouts();
        if (src.isDir() && overChardev) {
            // rename(2) cannot put a directory over a char device: swap them, the whiteout lands at the old name
            Layer.renameBetween(upper, from, upper, to, RENAME_EXCHANGE);
            if (!srcLowerPositive) {
                upper.unlink(from);
            } else {
                events.whiteoutCreated(from, "chardev");
            }
        } else if (srcLowerPositive && chardev) {
            renameLeavingWhiteout(from, to);
        } else {
            Layer.renameBetween(upper, from, upper, to, 0);
            if (srcLowerPositive) {
                markers.makeWhiteoutFile(upper, from);
                events.whiteoutCreated(from, "whfile");
            }
        }
        if (markers.hasWhiteoutFile(upper, to)) {
            upper.unlink(whiteoutName(to));
        }
        if (!to.parent().equals(from.parent()) && upper.getxattr(to, lookup.originXattr()) != null
                && markers.markImpure(upper, to.parent())) {
            cache.changed(to.parent()); // it now holds an entry that keeps its origin's inode number
        }
        files.renamed(from, to);
        cache.changedTree(from);
        cache.changedTree(to);
    }

    /**
     * A directory moving into a merged parent becomes opaque: the name it lands on may exist below (or come to),
     * and a moved directory must not merge with it (the kernel's rule without redirect_dir).
     */
    private void opaqueIfMovingIntoMerged(Node dir, Node newParent, RelPath landsAt) throws FsException {
        if (dir.isDir() && newParent.isMerged() && !markers.dirMarks(upper, dir.path()).opaque()) {
            markers.setOpaque(upper, dir.path());
            events.opaqueCreated(landsAt, markers.opaqueForm());
        }
    }

    /** rename with RENAME_WHITEOUT where the kernel lets us (CAP_MKNOD), else a rename then a whiteout. */
    private void renameLeavingWhiteout(RelPath from, RelPath to) throws FsException {
        try {
            Layer.renameBetween(upper, from, upper, to, RENAME_WHITEOUT);
            events.whiteoutCreated(from, "chardev");
        } catch (FsException e) {
            if (e.errno() != Errno.EINVAL && e.errno() != Errno.EPERM && e.errno() != Errno.EOPNOTSUPP) {
                throw e;
            }
            Layer.renameBetween(upper, from, upper, to, 0);
            whiteout(from, false);
        }
    }

    private void exchange(Node a, Node b) throws FsException {
        for (Node n : new Node[] {a, b}) {
            if (n.isDir() && (n.layer() != 0 || n.isMerged())) {
                throw FsException.of(Errno.EXDEV, n.path());
            }
        }
        Node aParent = copyUp.ensureDir(a.path().parent());
        Node bParent = copyUp.ensureDir(b.path().parent());
        copyUp.ensureUpper(a, true);
        copyUp.ensureUpper(b, true);
        // each side moves into the other's parent, under the same opacity rule as a plain rename
        opaqueIfMovingIntoMerged(a, bParent, b.path());
        opaqueIfMovingIntoMerged(b, aParent, a.path());
        Layer.renameBetween(upper, a.path(), upper, b.path(), RENAME_EXCHANGE);
        cache.changedTree(a.path());
        cache.changedTree(b.path());
    }

    /** ".wh.*" names store whiteouts in layers; an object by that name would hide its namesake. */
    static void refuseMarkerName(RelPath p) throws FsException {
        if (Markers.isMarkerName(p.name())) {
            throw FsException.withMessage(Errno.EPERM, p.toString(), p.display()
                    + ": names starting with .wh. are reserved for whiteouts");
        }
    }

    private static RelPath whiteoutName(RelPath p) throws FsException {
        return p.parent().child(Markers.whiteoutName(p.name()));
    }
}
