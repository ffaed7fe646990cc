package io.github.jovl.union;

import io.github.jovl.fs.FsException;
import io.github.jovl.fs.RelPath;
import io.github.jovl.fs.Stat;
import io.github.jovl.layer.Layer;
import io.github.jovl.whiteout.Markers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Explains a lookup: walks the path one name at a time with the real lookup, watching what each layer holds,
 * and keeps for every layer the first reason it stopped taking part.
 */
final class Explain {
    private final Layer[] layers;
    private final boolean hasUpper;
    private final Lookup lookup;
    private final Markers markers;

    Explain(Layer[] layers, boolean hasUpper, Lookup lookup, Markers markers) {
        this.layers = layers;
        this.hasUpper = hasUpper;
        this.lookup = lookup;
        this.markers = markers;
    }

    Explanation explain(RelPath p) throws FsException {
        Map<Integer, String> why = new LinkedHashMap<>();
        Node node = lookup.get(RelPath.ROOT);
        RelPath at = RelPath.ROOT;
        for (String name : p.names()) {
            at = at.child(name);
            RelPath here = at;
            Map<Integer, Lookup.Seen> seen = new LinkedHashMap<>();
            Node child = lookup.child(node, at, seen::put);
            int stopLayer = -1;
            Lookup.Seen stop = null;
            for (Map.Entry<Integer, Lookup.Seen> e : seen.entrySet()) {
                stopLayer = e.getKey();
                stop = e.getValue();
            }
            boolean stopped = stop != null && stop != Lookup.Seen.DIR && stop != Lookup.Seen.ABSENT;
            for (Node.LayerDir ld : node.dirs()) {
                int i = ld.layer();
                boolean contributes = child != null && (i == child.layer()
                        || child.dirs().stream().anyMatch(d -> d.layer() == i));
                if (contributes || why.containsKey(i)) {
                    continue;
                }
                Lookup.Seen s = seen.get(i);
                if (s == Lookup.Seen.WHITEOUT || s == Lookup.Seen.WHITEOUT_FILE) {
                    why.put(i, "holds the whiteout that hides /" + here + " below it");
                } else if (s == Lookup.Seen.NON_DIR_UNDER_DIR) {
                    why.put(i, "has a non-directory at /" + here + ", under a directory of a higher layer");
                } else if (s == null && stopped) {
                    why.put(i, hiddenBy(stop, stopLayer, here));
                } else {
                    why.put(i, "has no /" + here);
                }
            }
            if (child == null) {
                return result(p, null, why);
            }
            node = child;
        }
        return result(p, node, why);
    }

    private String hiddenBy(Lookup.Seen stop, int layer, RelPath at) {
        String where = " /" + at + " in " + role(layer);
        return switch (stop) {
            case WHITEOUT, WHITEOUT_FILE -> "hidden by the whiteout at" + where;
            case OPAQUE_DIR -> "hidden under the opaque directory" + where;
            default -> "shadowed by" + where;
        };
    }

    private Explanation result(RelPath p, Node node, Map<Integer, String> why) throws FsException {
        List<Explanation.LayerView> views = new ArrayList<>();
        List<Integer> contributors = new ArrayList<>();
        if (node != null && node.isDir()) {
            node.dirs().forEach(d -> contributors.add(d.layer()));
        }
        for (Layer l : layers) {
            int i = l.index();
            String verdict;
            if (node != null && i == node.layer()) {
                verdict = "serves the path";
            } else if (contributors.contains(i)) {
                verdict = "merged: its entries show in the directory";
            } else {
                verdict = why.getOrDefault(i, "not reached");
            }
            views.add(new Explanation.LayerView(i, role(i), l.root().toString(), holds(l, p), verdict));
        }
        if (node == null) {
            return new Explanation(p.display(), false, null, -1, views, null, contributors);
        }
        return new Explanation(p.display(), true, kind(node.stat()), node.layer(), views,
                copiedUp(node), contributors);
    }

    private String copiedUp(Node n) throws FsException {
        if (!hasUpper || n.layer() != 0) {
            return null;
        }
        byte[] origin = layers[0].getxattr(n.path(), lookup.originXattr());
        if (origin != null) {
            return "copied up from a lower layer (keeps inode " + new String(origin) + ")";
        }
        if (n.isDir() && n.isMerged()) {
            return "an upper directory merged with the lower ones";
        }
        return lookup.lowerPositive(n) ? "in the upper, over the same name in a lower layer" : "new in the upper";
    }

    private String holds(Layer l, RelPath p) throws FsException {
        Stat st;
        try {
            st = l.lstat(p);
        } catch (FsException e) {
            return "nothing (" + e.errno() + ")";
        }
        if (st == null) {
            return !p.isRoot() && markers.hasWhiteoutFile(l, p) ? "whiteout (.wh. file)" : "nothing";
        }
        if (Markers.isChardevWhiteout(st)) {
            return "whiteout (char 0/0)";
        }
        return st.isDir() && markers.dirMarks(l, p).opaque() ? "opaque directory" : kind(st);
    }

    /** The kind of an object in words: "file", "directory", "symlink", "fifo", "socket", "char device"... */
    private static String kind(Stat st) {
        return switch (st.type()) {
            case REGULAR -> "file";
            case CHAR -> "char device";
            case BLOCK -> "block device";
            default -> st.type().name().toLowerCase();
        };
    }

    String role(int layer) {
        return hasUpper ? (layer == 0 ? "upper" : "lower " + layer) : "lower " + (layer + 1);
    }
}
