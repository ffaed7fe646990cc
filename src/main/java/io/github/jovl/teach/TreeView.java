package io.github.jovl.teach;

import io.github.jovl.fs.DirEntry;
import io.github.jovl.fs.FsException;
import io.github.jovl.fs.RelPath;
import io.github.jovl.fs.Stat;
import io.github.jovl.layer.Layer;
import io.github.jovl.whiteout.Markers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Draws a directory like tree(1), naming what overlay markers are: a whiteout says it is one, an opaque
 * directory says which mark makes it so. Used to show a layer and the merged view side by side.
 */
public final class TreeView {
    private static final String[] OPAQUE_XATTRS = {
        "trusted.overlay.opaque", "user.overlay.opaque", "user.fuseoverlayfs.opaque"};

    private TreeView() {
    }

    /** The lines of the drawing; the first is the title. */
    public static List<String> draw(String title, Path dir) throws FsException {
        List<String> out = new ArrayList<>();
        out.add(title + "/");
        Layer l = new Layer(dir, 0, false);
        draw(l, RelPath.ROOT, "", out);
        if (out.size() == 1) {
            out.add("(empty)");
        }
        return out;
    }

    private static void draw(Layer l, RelPath dir, String indent, List<String> out) throws FsException {
        List<DirEntry> entries = new ArrayList<>(l.list(dir));
        entries.sort(Comparator.comparing(DirEntry::name));
        for (int i = 0; i < entries.size(); i++) {
            boolean last = i == entries.size() - 1;
            RelPath p = dir.child(entries.get(i).name());
            Stat st = l.lstat(p);
            if (st == null) {
                continue;
            }
            out.add(indent + (last ? "└── " : "├── ") + label(l, p, st));
            if (st.isDir()) {
                draw(l, p, indent + (last ? "    " : "│   "), out);
            }
        }
    }

    private static String label(Layer l, RelPath p, Stat st) throws FsException {
        String name = p.name();
        if (Markers.isChardevWhiteout(st)) {
            return name + "  [whiteout: char device 0/0]";
        }
        if (name.equals(Markers.OPAQUE_FILE)) {
            return name + "  [marks its directory opaque]";
        }
        if (Markers.isMarkerName(name)) {
            return name + "  [whiteout for " + name.substring(Markers.WH_PREFIX.length()) + "]";
        }
        if (st.isSymlink()) {
            return name + " -> " + l.readlink(p);
        }
        if (st.isDir()) {
            for (String x : OPAQUE_XATTRS) {
                if (l.getxattr(p, x) != null) {
                    return name + "/  [opaque: " + x + "=y]";
                }
            }
            return name + "/";
        }
        return name;
    }

    /** Sets drawings side by side, each column as wide as its widest line. */
    public static List<String> sideBySide(List<List<String>> columns) {
        int rows = columns.stream().mapToInt(List::size).max().orElse(0);
        List<String> out = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            StringBuilder b = new StringBuilder();
            for (int c = 0; c < columns.size(); c++) {
                List<String> col = columns.get(c);
                String cell = r < col.size() ? col.get(r) : "";
                b.append(cell);
                if (c < columns.size() - 1) {
                    int width = col.stream().mapToInt(s -> s.codePointCount(0, s.length())).max().orElse(0);
                    b.append(" ".repeat(width - cell.codePointCount(0, cell.length()) + 4));
                }
            }
            out.add(b.toString().stripTrailing());
        }
        return out;
    }
}
