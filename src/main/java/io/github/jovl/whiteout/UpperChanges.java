package io.github.jovl.whiteout;

import io.github.jovl.fs.DirEntry;
import io.github.jovl.fs.FsException;
import io.github.jovl.fs.RelPath;
import io.github.jovl.fs.Stat;
import io.github.jovl.layer.Layer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * What an upper layer changes relative to the layers below it, read from its markers in every form: whiteouts
 * (0/0 char device, ".wh.NAME", xattr whiteout) are deletions; a name the lowers have, or that records a copy-up
 * origin, is a change; anything else is an addition, with all it contains.
 */
public final class UpperChanges {
    /** Origin xattrs left by copy-up: the kernel's (either namespace) and jovl's. */
    private static final String[] ORIGIN_XATTRS = {
        "trusted.overlay.origin", "user.overlay.origin", "trusted.overlay.jovl.origin", "user.overlay.jovl.origin"};

    public enum Kind {
        ADDED('A'), CHANGED('C'), DELETED('D');

        public final char letter;

        Kind(char letter) {
            this.letter = letter;
        }
    }

    /** One change; opaque: a directory that hides everything the lowers have below it. */
    public record Change(Kind kind, RelPath path, boolean opaque) {
        @Override
        public String toString() {
            return kind.letter + " " + path.display();
        }
    }

    private final Layer upper;
    private final Markers markers;
    private final Predicate<RelPath> inLower;

    /**
     * @param inLower whether the lower layers show a name; null when they are not known, and then only origin
     *                xattrs tell a change from an addition
     */
    public UpperChanges(Layer upper, Markers markers, Predicate<RelPath> inLower) {
        this.upper = upper;
        this.markers = markers;
        this.inLower = inLower;
    }

    /** All changes, sorted by path. */
    public List<Change> scan() throws FsException {
        List<Change> out = new ArrayList<>();
        walk(RelPath.ROOT, false, out);
        out.sort(Comparator.comparing(c -> c.path().toString()));
        return out;
    }

    private void walk(RelPath dir, boolean allNew, List<Change> out) throws FsException {
        boolean xwhiteouts = markers.dirMarks(upper, dir).xwhiteouts();
        for (DirEntry e : upper.list(dir)) {
            String name = e.name();
            if (name.equals(Markers.OPAQUE_FILE)) {
                continue;
            }
            if (Markers.isMarkerName(name)) {
                out.add(new Change(Kind.DELETED, dir.child(name.substring(Markers.WH_PREFIX.length())), false));
                continue;
            }
            RelPath p = dir.child(name);
            Stat st = upper.lstat(p);
            if (st == null) {
                continue;
            }
            if (markers.isWhiteout(upper, p, st, xwhiteouts)) {
                out.add(new Change(Kind.DELETED, p, false));
                continue;
            }
            boolean opaque = st.isDir() && markers.dirMarks(upper, p).opaque();
            // an opaque directory is made over a whiteout: it always replaces something below
            boolean existed = !allNew && (existedBelow(p) || (inLower == null && opaque));
            out.add(new Change(existed ? Kind.CHANGED : Kind.ADDED, p, opaque && existed));
            if (st.isDir()) {
                walk(p, !existed || opaque, out);
            }
        }
    }

    private boolean existedBelow(RelPath p) throws FsException {
        if (inLower != null) {
            return inLower.test(p);
        }
        for (String x : ORIGIN_XATTRS) {
            if (upper.getxattr(p, x) != null) {
                return true;
            }
        }
        return false;
    }
}
