package io.github.jovl.union;

import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FsException;
import io.github.jovl.fs.RelPath;
import io.github.jovl.fs.Stat;
import io.github.jovl.layer.Layer;
import io.github.jovl.whiteout.Markers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Name lookup across layers (the kernel's namei.c). A child is searched only in the layers where its parent is
 * a real directory, top first: the first object found is the one shown; a non-directory hides all below it;
 * directories merge until an opaque one; a whiteout ends the search.
 */
final class Lookup {
    private final Layer[] layers;
    private final Markers markers;
    private final LookupCache cache;
    private final InodeMap inodes;
    private final String originXattr;

    String originXattr() {
        return originXattr;
    }
    private final boolean hasUpper;
    private final OverlayEvents events;

    Lookup(Layer[] layers, boolean hasUpper, Markers markers, LookupCache cache, InodeMap inodes,
           String originXattr, OverlayEvents events) {
        this.layers = layers;
        this.events = events;
        this.hasUpper = hasUpper;
        this.markers = markers;
        this.cache = cache;
        this.inodes = inodes;
        this.originXattr = originXattr;
    }

    /** The node at p, or null when nothing is visible there. ENOTDIR when an ancestor is not a directory. */
    Node find(RelPath p) throws FsException {
        Optional<Node> cached = cache.node(p);
        if (cached != null) {
            return cached.orElse(null);
        }
        return load(p);
    }

    /**
     * Looks p up in the layers, whatever the cache holds for p itself (its ancestors may come from the cache),
     * and caches the result. The node's stat was read by this call.
     */
    Node load(RelPath p) throws FsException {
        Node n;
        if (p.isRoot()) {
            n = root();
        } else {
            Node parent = find(p.parent());
            if (parent == null) {
                return null; // not cached: the parent may appear later, and only its creation is invalidated
            }
            if (!parent.isDir()) {
                throw FsException.of(Errno.ENOTDIR, p);
            }
            long t0 = System.nanoTime();
            n = child(parent, p);
            if (parent.dirs().size() > 1) {
                events.lookupMiss(p, parent.dirs().size(), System.nanoTime() - t0);
            }
        }
        cache.putNode(p, n);
        return n;
    }

    /** Like {@link #find} but absence is ENOENT. */
    Node get(RelPath p) throws FsException {
        Node n = find(p);
        if (n == null) {
            throw FsException.of(Errno.ENOENT, p);
        }
        return n;
    }

    Node getDir(RelPath p) throws FsException {
        Node n = get(p);
        if (!n.isDir()) {
            throw FsException.of(Errno.ENOTDIR, p);
        }
        return n;
    }

    private Node root() throws FsException {
        List<Node.LayerDir> dirs = new ArrayList<>();
        Stat top = null;
        int topLayer = -1;
        for (Layer l : layers) {
            Stat st = l.lstat(RelPath.ROOT);
            if (top == null) {
                top = st;
                topLayer = l.index();
            }
            // the kernel never looks the root up, so an opaque mark on a layer's root hides nothing
            Markers.DirMarks rootMarks = markers.dirMarks(l, RelPath.ROOT);
            dirs.add(new Node.LayerDir(l.index(), rootMarks.xwhiteouts(), rootMarks.impure()));
        }
        return new Node(RelPath.ROOT, top, topLayer, List.copyOf(dirs), ino(topLayer, RelPath.ROOT, top));
    }

    /** What one layer held at a name during a lookup, for {@link Explain}. */
    enum Seen { ABSENT, WHITEOUT, WHITEOUT_FILE, NON_DIR, DIR, OPAQUE_DIR, NON_DIR_UNDER_DIR }

    /** Told what each layer holds as a lookup walks down the stack; the walk stops after a stopping sighting. */
    interface Observer {
        Observer NONE = (layer, seen) -> { };

        void saw(int layer, Seen seen);
    }

    Node child(Node parent, RelPath p) throws FsException {
        return child(parent, p, Observer.NONE);
    }

    Node child(Node parent, RelPath p, Observer obs) throws FsException {
        if (Markers.isMarkerName(p.name())) {
            return null; // ".wh.*" names are how layers store whiteouts, never objects of the merged view
        }
        Stat top = null;
        int topLayer = -1;
        List<Node.LayerDir> dirs = new ArrayList<>();
        for (Node.LayerDir ld : parent.dirs()) {
            Layer l = layers[ld.layer()];
            Stat st = l.lstat(p);
            if (st == null) {
                if (markers.hasWhiteoutFile(l, p)) {
                    obs.saw(ld.layer(), Seen.WHITEOUT_FILE);
                    break;
                }
                obs.saw(ld.layer(), Seen.ABSENT);
                continue;
            }
            if (markers.isWhiteout(l, p, st, ld.xwhiteouts())) {
                obs.saw(ld.layer(), Seen.WHITEOUT);
                break;
            }
            if (top != null && !st.isDir()) {
                obs.saw(ld.layer(), Seen.NON_DIR_UNDER_DIR);
                break; // a non-directory below a directory does not merge, and hides what is under it
            }
            if (top == null) {
                top = st;
                topLayer = ld.layer();
                if (!st.isDir()) {
                    obs.saw(ld.layer(), Seen.NON_DIR);
                    break;
                }
            }
            Markers.DirMarks m = markers.dirMarks(l, p);
            dirs.add(new Node.LayerDir(ld.layer(), m.xwhiteouts(), m.impure()));
            obs.saw(ld.layer(), m.opaque() ? Seen.OPAQUE_DIR : Seen.DIR);
            if (m.opaque()) {
                break;
            }
        }
        if (top == null) {
            return null;
        }
        return new Node(p, top, topLayer, List.copyOf(dirs), ino(topLayer, p, top));
    }

    /**
     * Whether a layer below n's top layer still holds a visible object at n's name: removing or renaming n then
     * needs a whiteout (the kernel's ovl_lower_positive).
     */
    boolean lowerPositive(Node n) throws FsException {
        if (n.path().isRoot()) {
            return false;
        }
        if (!hasUpper || n.layer() != 0) {
            return true;
        }
        Node parent = get(n.path().parent());
        for (Node.LayerDir ld : parent.dirs()) {
            if (ld.layer() == 0) {
                continue;
            }
            Layer l = layers[ld.layer()];
            Stat st = l.lstat(n.path());
            if (st == null) {
                if (markers.hasWhiteoutFile(l, n.path())) {
                    return false;
                }
                continue;
            }
            return !markers.isWhiteout(l, n.path(), st, ld.xwhiteouts());
        }
        return false;
    }

    private long ino(int layer, RelPath p, Stat st) throws FsException {
        return hasUpper && layer == 0 ? upperIno(p, st.ino()) : inodes.map(layer, st);
    }

    /** The number of an upper object: its copy-up origin's when it records one, else its own mapped. */
    long upperIno(RelPath p, long realIno) throws FsException {
        byte[] origin = layers[0].getxattr(p, originXattr);
        if (origin != null) {
            try {
                return Long.parseLong(new String(origin, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                // not ours or damaged: fall back to the upper's own number
            }
        }
        return inodes.map(0, realIno);
    }
}
