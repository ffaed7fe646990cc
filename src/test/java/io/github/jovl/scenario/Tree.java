package io.github.jovl.scenario;

import io.github.jovl.fs.DirEntry;
import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FileType;
import io.github.jovl.fs.FsException;
import io.github.jovl.fs.Stat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A snapshot of a whole tree, one {@link Entry} per path, comparable across drivers (no inode numbers, times as
 * {@link FixtureTimes} labels). Three ways to take one:
 * <ul>
 * <li>{@link #view}: the merged view as a driver shows it (what programs see);</li>
 * <li>{@link #markers}: a raw upper directory with its markers decoded, whatever their on-disk form, so "a
 * whiteout at d/x" or "d is opaque (trusted)" can be checked and compared with the kernel's upper;</li>
 * <li>{@link #exact}: a raw directory with nothing decoded or hidden, to prove a lower was not touched.</li>
 * </ul>
 */
public final class Tree {
    public enum Mode { VIEW, MARKERS, EXACT }

    /**
     * One object. kind: file, dir, symlink, fifo, char, block, socket, whiteout, or "error(ERRNO)" for a name a
     * listing shows but lookup refuses. whiteout: its on-disk form (chardev, whfile, xattr). opaque: the form of
     * the opaque marker (trusted, user, fuseoverlayfs, whfile) or null. nlink -1 and mtime null are "not compared".
     */
    public record Entry(String kind, int perms, int uid, int gid, long nlink, long size, String data, String mtime,
                        String whiteout, String opaque, SortedMap<String, String> xattrs, String dtypeMismatch,
                        long ino) {
        public boolean isWhiteout() {
            return "whiteout".equals(kind);
        }

        public boolean isDir() {
            return "dir".equals(kind);
        }

        /** Everything compared, in one line; the inode number is left out (it differs between copies). */
        public String describe() {
            if (isWhiteout()) {
                return "whiteout(" + whiteout + ")";
            }
            if (kind.startsWith("error")) {
                return kind;
            }
            StringBuilder b = new StringBuilder(kind).append(' ').append(String.format("%04o", perms)).append(' ')
                    .append(uid).append(':').append(gid);
            if (nlink >= 0) {
                b.append(" nlink=").append(nlink);
            }
            if (kind.equals("file") || kind.equals("symlink")) {
                b.append(" size=").append(size);
            }
            if (data != null) {
                b.append(kind.equals("symlink") ? " -> " : " data=").append(data);
            }
            if (mtime != null) {
                b.append(" mtime=").append(mtime);
            }
            if (opaque != null) {
                b.append(" OPAQUE(").append(opaque).append(')');
            }
            if (!xattrs.isEmpty()) {
                b.append(' ').append(xattrs);
            }
            if (dtypeMismatch != null) {
                b.append(" d_type=").append(dtypeMismatch);
            }
            return b.toString();
        }
    }

    private final SortedMap<String, Entry> entries;

    private Tree(SortedMap<String, Entry> entries) {
        this.entries = entries;
    }

    public SortedMap<String, Entry> entries() {
        return entries;
    }

    public Entry get(String path) {
        return entries.get(path);
    }

    /** The merged view as the driver shows it; the root itself is the entry "". */
    public static Tree view(View v) {
        return walk(v, Mode.VIEW);
    }

    /** A raw upper directory, markers decoded into whiteout entries and opaque flags. */
    public static Tree markers(Path dir) {
        return walk(new HostView(dir), Mode.MARKERS);
    }

    /** A raw directory exactly as stored (every xattr, markers as plain objects). */
    public static Tree exact(Path dir) {
        return walk(new HostView(dir), Mode.EXACT);
    }

    private static Tree walk(View v, Mode mode) {
        SortedMap<String, Entry> out = new TreeMap<>();
        out.put("", entry(v, "", null, mode));
        walkDir(v, "", mode, out);
        return new Tree(out);
    }

    private static void walkDir(View v, String dir, Mode mode, SortedMap<String, Entry> out) {
        List<DirEntry> list;
        try {
            list = v.readdir(dir);
        } catch (FsException e) {
            out.put(dir + "/", error(e.errno()));
            return;
        }
        List<String> names = new ArrayList<>();
        Map<String, FileType> dtypes = new TreeMap<>();
        for (DirEntry e : list) {
            if (!e.name().equals(".") && !e.name().equals("..")) {
                names.add(e.name());
                dtypes.put(e.name(), e.type());
            }
        }
        java.util.Collections.sort(names);
        for (String name : names) {
            String p = dir.isEmpty() ? name : dir + "/" + name;
            if (mode == Mode.MARKERS && name.equals(".wh..wh..opq")) {
                Entry parent = out.get(dir);
                out.put(dir, with(parent, parent.opaque() == null ? "whfile" : parent.opaque()));
                continue;
            }
            if (mode == Mode.MARKERS && name.startsWith(".wh.") && !names.contains(name.substring(4))) {
                String hidden = dir.isEmpty() ? name.substring(4) : dir + "/" + name.substring(4);
                out.put(hidden, whiteoutEntry("whfile"));
                continue;
            }
            Entry e = entry(v, p, dtypes.get(name), mode);
            out.put(p, e);
            if (e.isDir()) {
                walkDir(v, p, mode, out);
            }
        }
    }

    private static Entry with(Entry e, String opaque) {
        return new Entry(e.kind(), e.perms(), e.uid(), e.gid(), e.nlink(), e.size(), e.data(), e.mtime(),
                e.whiteout(), opaque, e.xattrs(), e.dtypeMismatch(), e.ino());
    }

    private static Entry error(Errno errno) {
        return new Entry("error(" + errno + ")", 0, 0, 0, -1, 0, null, null, null, null, new TreeMap<>(), null, 0);
    }

    private static Entry whiteoutEntry(String form) {
        return new Entry("whiteout", 0, 0, 0, -1, 0, null, null, form, null, new TreeMap<>(), null, 0);
    }

    private static Entry entry(View v, String p, FileType dtype, Mode mode) {
        Stat st;
        try {
            st = v.lstat(p);
        } catch (FsException e) {
            return error(e.errno());
        }
        FileType type = st.type();
        SortedMap<String, String> allX = xattrs(v, p);
        if (mode == Mode.MARKERS) {
            if (type == FileType.CHAR && st.rdev() == 0) {
                return whiteoutEntry("chardev");
            }
            if (type == FileType.REGULAR && st.size() == 0
                    && (allX.containsKey("trusted.overlay.whiteout") || allX.containsKey("user.overlay.whiteout"))) {
                return whiteoutEntry("xattr");
            }
        }
        String opaque = null;
        SortedMap<String, String> shown = new TreeMap<>();
        for (Map.Entry<String, String> x : allX.entrySet()) {
            String n = x.getKey();
            if (mode != Mode.EXACT && (n.startsWith("security.") || n.startsWith("system."))) {
                continue; // labels and ACLs the host adds; not overlay semantics
            }
            if (mode == Mode.MARKERS && isPrivate(n)) {
                if (type == FileType.DIRECTORY && n.endsWith(".opaque") && !"\"x\"".equals(x.getValue())) {
                    // opaque=x only says "this directory holds xattr whiteouts"; any other value is opaque
                    opaque = n.startsWith("trusted.") ? "trusted" : n.startsWith("user.overlay.") ? "user"
                            : "fuseoverlayfs";
                }
                continue; // origin, impure, uuid, jovl's own...: the backend's bookkeeping, not a marker
            }
            shown.put(n, x.getValue());
        }
        String data = null;
        if (type == FileType.REGULAR) {
            try {
                data = show(v.read(p));
            } catch (FsException e) {
                data = "unreadable(" + e.errno() + ")";
            }
        } else if (type == FileType.SYMLINK) {
            try {
                data = v.readlink(p);
            } catch (FsException e) {
                data = "unreadable(" + e.errno() + ")";
            }
        } else if (type == FileType.CHAR || type == FileType.BLOCK) {
            data = st.rdevMajor() + "/" + st.rdevMinor();
        }
        long nlink = mode == Mode.MARKERS ? -1 : st.nlink();
        String mtime = mode == Mode.MARKERS ? null : FixtureTimes.label(st.mtimeNs());
        String dtypeMismatch = dtype != null && dtype != type ? String.valueOf(dtype) : null;
        return new Entry(kind(type), st.permissions(), st.uid(), st.gid(), nlink, st.size(), data, mtime, null,
                opaque, shown, dtypeMismatch, st.ino());
    }

    private static boolean isPrivate(String name) {
        return name.startsWith("trusted.overlay.") || name.startsWith("user.overlay.")
                || name.startsWith("user.fuseoverlayfs.");
    }

    private static SortedMap<String, String> xattrs(View v, String p) {
        SortedMap<String, String> out = new TreeMap<>();
        List<String> names;
        try {
            names = v.listxattr(p);
        } catch (FsException e) {
            out.put("listxattr", "error(" + e.errno() + ")");
            return out;
        }
        for (String n : names) {
            try {
                out.put(n, show(v.getxattr(p, n)));
            } catch (FsException e) {
                out.put(n, "error(" + e.errno() + ")");
            }
        }
        return out;
    }

    static String kind(FileType t) {
        return switch (t) {
            case REGULAR -> "file";
            case DIRECTORY -> "dir";
            case SYMLINK -> "symlink";
            case FIFO -> "fifo";
            case CHAR -> "char";
            case BLOCK -> "block";
            case SOCKET -> "socket";
        };
    }

    /** Short printable content as a quoted string, anything else as a hash prefix. */
    static String show(byte[] b) {
        boolean printable = b.length <= 48;
        for (byte x : b) {
            printable &= x >= 0x20 && x < 0x7f;
        }
        if (printable) {
            return "\"" + new String(b, StandardCharsets.US_ASCII) + "\"";
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(b);
            return "sha256:" + HexFormat.of().formatHex(h, 0, 8) + "(" + b.length + "B)";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One line per path, "/" for the root. */
    public String render() {
        StringBuilder b = new StringBuilder();
        entries.forEach((p, e) -> b.append("  /").append(p).append("  ").append(e.describe()).append('\n'));
        return b.toString();
    }

    /** The lines that differ: "-" only or different in a, "+" only or different in b. Empty when equal. */
    public static String diff(String aName, Tree a, String bName, Tree b) {
        StringBuilder out = new StringBuilder();
        TreeMap<String, Boolean> paths = new TreeMap<>();
        a.entries.keySet().forEach(k -> paths.put(k, true));
        b.entries.keySet().forEach(k -> paths.put(k, true));
        for (String p : paths.keySet()) {
            Entry x = a.entries.get(p);
            Entry y = b.entries.get(p);
            String dx = x == null ? null : x.describe();
            String dy = y == null ? null : y.describe();
            if (!Objects.equals(dx, dy)) {
                out.append("  - ").append(aName).append(" /").append(p).append("  ")
                        .append(dx == null ? "(absent)" : dx).append('\n');
                out.append("  + ").append(bName).append(" /").append(p).append("  ")
                        .append(dy == null ? "(absent)" : dy).append('\n');
            }
        }
        return out.toString();
    }
}
