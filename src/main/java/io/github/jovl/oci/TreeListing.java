package io.github.jovl.oci;

import io.github.jovl.fs.DirEntry;
import io.github.jovl.fs.FileType;
import io.github.jovl.fs.FsException;
import io.github.jovl.fs.RelPath;
import io.github.jovl.fs.Stat;
import io.github.jovl.layer.Layer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * A canonical text listing of a directory tree: one line per object with its type, mode, owner, size, content
 * digest or link target or device number, xattrs and (optionally) mtime. The store keeps the listing of each
 * unpacked layer so `layer verify` can say which path changed; tests compare trees with it.
 */
public final class TreeListing {
    private final Layer layer;
    private final boolean withMtime;

    public TreeListing(Path root, boolean withMtime) {
        this.layer = new Layer(root, 1, false);
        this.withMtime = withMtime;
    }

    public List<String> lines() throws IOException {
        List<String> out = new ArrayList<>();
        walk(RelPath.ROOT, out);
        return out;
    }

    /** The sha256 of the listing, one line per object. */
    public static Digest digest(List<String> lines) {
        return Digest.of(String.join("\n", lines).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private void walk(RelPath dir, List<String> out) throws IOException {
        out.add(line(dir));
        List<DirEntry> entries = new ArrayList<>(layer.list(dir));
        entries.sort(Comparator.comparing(DirEntry::name));
        for (DirEntry e : entries) {
            RelPath p = dir.child(e.name());
            if (e.type() == FileType.DIRECTORY) {
                walk(p, out);
            } else {
                out.add(line(p));
            }
        }
    }

    private String line(RelPath p) throws IOException {
        Stat st = layer.lstat(p);
        if (st == null) {
            throw new FsException(io.github.jovl.fs.Errno.ENOENT, layer.abs(p));
        }
        StringBuilder b = new StringBuilder();
        b.append(p.isRoot() ? "." : escape(p.toString())).append(' ').append(st.type().name().toLowerCase())
                .append(' ').append(Integer.toOctalString(st.permissions()))
                .append(' ').append(st.uid()).append(':').append(st.gid());
        switch (st.type()) {
            case REGULAR -> b.append(" size=").append(st.size()).append(" sha256=")
                    .append(Digest.of(Path.of(layer.abs(p))).hex());
            case SYMLINK -> b.append(" -> ").append(escape(layer.readlink(p)));
            case CHAR, BLOCK -> b.append(" dev=").append(st.rdevMajor()).append(',').append(st.rdevMinor());
            default -> {
            }
        }
        List<String> names = new ArrayList<>(layer.listxattr(p));
        names.sort(null);
        for (String x : names) {
            byte[] v = layer.getxattr(p, x);
            b.append(' ').append(x).append('=').append(v == null ? "" : HexFormat.of().formatHex(v));
        }
        if (withMtime) {
            b.append(" mtime=").append(st.mtimeNs());
        }
        return b.toString();
    }

    /** Keeps one object on one line with its fields split by spaces, whatever bytes its name holds. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c <= ' ' || c == '\\' || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
