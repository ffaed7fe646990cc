package io.github.jovl.oci;

import io.github.jovl.config.XattrNamespace;
import io.github.jovl.fs.FsException;
import io.github.jovl.fs.RelPath;
import io.github.jovl.fs.Stat;
import io.github.jovl.layer.Layer;
import io.github.jovl.whiteout.Markers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the lower layers of a container show, read straight from their directories: enough of overlayfs's lookup
 * (whiteouts, opaque directories, a non-directory hiding what lies below) for export to know whether a name
 * exists below the upper.
 */
public final class LowerView {
    private final List<Layer> layers = new ArrayList<>();
    private final Markers markers = new Markers(true, XattrNamespace.TRUSTED, true);

    /** @param lowers the lower layer roots, top first */
    public LowerView(List<Path> lowers) {
        for (int i = 0; i < lowers.size(); i++) {
            layers.add(new Layer(lowers.get(i), i + 1, false));
        }
    }

    /** The attributes of the object the lowers show at p, or null when they show nothing there. */
    public Stat lookup(RelPath p) throws FsException {
        // candidates: the layers whose directory at the current level merges; an opaque one ends the list
        List<Layer> candidates = new ArrayList<>();
        for (Layer l : layers) {
            candidates.add(l);
            if (markers.dirMarks(l, RelPath.ROOT).opaque()) {
                break;
            }
        }
        Stat found = null;
        RelPath at = RelPath.ROOT;
        for (String name : p.names()) {
            RelPath next = at.child(name);
            List<Layer> merging = new ArrayList<>();
            found = null;
            for (Layer l : candidates) {
                Stat st = l.lstat(next);
                boolean whiteout = st != null ? markers.isWhiteout(l, next, st, markers.dirMarks(l, at).xwhiteouts())
                        : markers.hasWhiteoutFile(l, next);
                if (whiteout) {
                    break;
                }
                if (st != null) {
                    if (found == null) {
                        found = st;
                    }
                    if (!st.isDir() || !found.isDir()) {
                        break;
                    }
                    merging.add(l);
                    if (markers.dirMarks(l, next).opaque()) {
                        break;
                    }
                }
            }
            if (found == null || !found.isDir()) {
                return p.equals(next) ? found : null;
            }
            candidates = merging;
            at = next;
        }
        return p.isRoot() ? layers.isEmpty() ? null : layers.get(0).lstat(RelPath.ROOT) : found;
    }
}
