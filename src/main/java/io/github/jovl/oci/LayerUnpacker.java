package io.github.jovl.oci;

import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FileType;
import io.github.jovl.fs.FsException;
import io.github.jovl.fs.RelPath;
import io.github.jovl.fs.Stat;
import io.github.jovl.layer.Layer;
import io.github.jovl.sys.Native;
import io.github.jovl.whiteout.Markers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Writes the entries of one layer tar into an empty directory, in the overlay on-disk form, so the directory can
 * be stacked as a lower layer. The layer's own entries are never removed by its markers: a whiteout or an opaque
 * marker hides only the layers below, wherever it appears in the tar.
 * <ul>
 *   <li>{@code .wh.NAME} becomes a whiteout at NAME; if this layer also has NAME as a directory (before or after
 *       the marker), that directory becomes opaque instead, since it must hide the lower NAME and keep its own
 *       content.</li>
 *   <li>{@code .wh..wh..opq} makes its directory opaque.</li>
 *   <li>A whiteout needed as a parent by a later entry becomes an opaque directory.</li>
 *   <li>Whiteouts under an opaque directory of the layer are redundant, and removed when the layer is done.</li>
 * </ul>
 * Directory modes, owners and times are set last, deepest first, so a read-only directory still takes its
 * children and their creation does not change its mtime.
 */
final class LayerUnpacker {
    private enum Kind { DIR, IMPLICIT_DIR, NON_DIR, WHITEOUT }

    private record DirAttrs(TarArchiveEntry entry, Map<String, byte[]> xattrs) {
    }

    private final Layer layer;
    private final UnpackOptions options;
    private final Markers markers;
    private final Map<RelPath, Kind> kinds = new HashMap<>();
    private final Set<RelPath> opaqueMarks = new HashSet<>();
    private final Set<RelPath> opaque = new HashSet<>();
    private final Map<RelPath, DirAttrs> dirAttrs = new HashMap<>();
    private final byte[] buf = new byte[1 << 16];
    private long entries;
    private long skipped;

    LayerUnpacker(Layer layer, UnpackOptions options) {
        this.layer = layer;
        this.options = options;
        this.markers = options.markers();
        kinds.put(RelPath.ROOT, Kind.IMPLICIT_DIR);
    }

    long entries() {
        return entries;
    }

    long skipped() {
        return skipped;
    }

    /** Applies one entry; data is the tar stream positioned at the entry's content. */
    void apply(TarArchiveEntry e, Map<String, byte[]> xattrs, InputStream data) throws IOException {
        entries++;
        String raw = e.getName();
        RelPath p = EntryName.parse(raw);
        List<String> names = p.names();
        for (int i = 0; i < names.size() - 1; i++) {
            if (Markers.isMarkerName(names.get(i))) {
                throw new BadArchiveException(raw, "whiteout name contains '/'");
            }
        }
        String name = p.name();
        if (Markers.isMarkerName(name)) {
            if (e.isDirectory()) {
                throw new BadArchiveException(raw, "whiteout name contains '/' (a directory entry)");
            }
            applyMarker(raw, p.parent(), name);
            return;
        }
        if (p.isRoot()) {
            if (!e.isDirectory()) {
                throw new BadArchiveException(raw, "the layer root must be a directory");
            }
            if (dirAttrs.containsKey(p)) {
                throw new BadArchiveException(raw, "duplicate entry");
            }
            dirAttrs.put(p, new DirAttrs(e, xattrs));
            return;
        }
        ensureDir(raw, p.parent());
        Kind old = kinds.get(p);
        if (old == Kind.DIR || old == Kind.NON_DIR || (old == Kind.IMPLICIT_DIR && !e.isDirectory())) {
            throw new BadArchiveException(raw, "duplicate entry");
        }
        boolean overWhiteout = old == Kind.WHITEOUT;
        if (overWhiteout) {
            markers.removeWhiteout(layer, p);
        }
        if (e.isDirectory()) {
            if (old != Kind.IMPLICIT_DIR) {
                layer.mkdir(p, 0700);
            }
            kinds.put(p, Kind.DIR);
            dirAttrs.put(p, new DirAttrs(e, xattrs));
            if (overWhiteout) {
                makeOpaque(p);
            }
            return;
        }
        if (!create(raw, p, e, data)) {
            if (overWhiteout) {
                createWhiteout(p); // the entry was skipped: the lower object stays hidden as the tar said
            }
            return;
        }
        kinds.put(p, Kind.NON_DIR);
        if (!e.isLink()) { // a hard link shares the attributes of its target
            setAttrs(p, e, xattrs);
        }
    }

    private void applyMarker(String raw, RelPath dir, String name) throws IOException {
        if (name.equals(Markers.OPAQUE_FILE)) {
            if (!opaqueMarks.add(dir)) {
                throw new BadArchiveException(raw, "duplicate entry");
            }
            ensureDir(raw, dir);
            makeOpaque(dir);
            return;
        }
        String target = name.substring(Markers.WH_PREFIX.length());
        if (target.isEmpty()) {
            throw new BadArchiveException(raw, "whiteout with an empty name");
        }
        if (target.equals(".") || target.equals("..") || target.contains("/")) {
            throw new BadArchiveException(raw, "whiteout name is '.', '..' or contains '/'");
        }
        if (target.startsWith(Markers.WH_PREFIX)) {
            // AUFS bookkeeping (.wh..wh.plnk, .wh..wh.aufs): no meaning in an OCI layer
            options.warnings().accept("skipped AUFS metadata entry " + raw);
            skipped++;
            return;
        }
        ensureDir(raw, dir);
        RelPath p = dir.child(target);
        Kind old = kinds.get(p);
        if (old == Kind.WHITEOUT) {
            throw new BadArchiveException(raw, "duplicate entry");
        }
        if (old == Kind.DIR || old == Kind.IMPLICIT_DIR) {
            makeOpaque(p); // hide the lower directory, keep this layer's content
        } else if (old == null) {
            createWhiteout(p);
            kinds.put(p, Kind.WHITEOUT);
        }
        // a non-directory of this layer at the name already hides the lower one
    }

    /** Makes every missing ancestor a directory; a whiteout on the way becomes an opaque directory. */
    private void ensureDir(String raw, RelPath dir) throws IOException {
        if (dir.isRoot()) {
            return;
        }
        Kind k = kinds.get(dir);
        if (k == Kind.DIR || k == Kind.IMPLICIT_DIR) {
            return;
        }
        if (k == Kind.NON_DIR) {
            // e.g. a symlink "a -> /etc" and then "a/passwd": never write through it
            throw new BadArchiveException(raw, "parent " + dir + " is not a directory in this layer");
        }
        ensureDir(raw, dir.parent());
        if (k == Kind.WHITEOUT) {
            markers.removeWhiteout(layer, dir);
        }
        layer.mkdir(dir, 0755);
        kinds.put(dir, Kind.IMPLICIT_DIR);
        if (k == Kind.WHITEOUT) {
            makeOpaque(dir);
        }
    }

    private void makeOpaque(RelPath dir) throws FsException {
        if (opaque.add(dir)) {
            markers.setOpaque(layer, dir);
        }
    }

    private void createWhiteout(RelPath p) throws FsException {
        if (markers.chardevWhiteouts()) {
            layer.mknod(p, FileType.CHAR.bits, 0);
        } else {
            markers.makeWhiteoutFile(layer, p);
        }
    }

    /** Creates a non-directory; false when it is skipped (with a warning). */
    private boolean create(String raw, RelPath p, TarArchiveEntry e, InputStream data) throws IOException {
        if (e.isLink()) {
            RelPath target = EntryName.parse(e.getLinkName());
            if (kinds.get(target) != Kind.NON_DIR) {
                throw new BadArchiveException(raw, "hard link target '" + e.getLinkName()
                        + "' is not an earlier file of this layer");
            }
            layer.link(target, p);
        } else if (e.isSymbolicLink()) {
            String target = e.getLinkName();
            if (target.isEmpty() || target.indexOf('\0') >= 0) {
                throw new BadArchiveException(raw, "empty symlink target");
            }
            if (EntryName.symlinkEscapes(p, target)) {
                throw new BadArchiveException(raw, "symlink target '" + target + "' escapes the layer root");
            }
            layer.symlink(target, p);
        } else if (e.isCharacterDevice() || e.isBlockDevice()) {
            if (e.isCharacterDevice() && e.getDevMajor() == 0 && e.getDevMinor() == 0) {
                return skip("a 0/0 character device is the overlay whiteout and cannot be stored: skipped " + raw);
            }
            if (!options.privileged()) {
                return skip("device " + raw + " skipped: creating devices needs root");
            }
            FileType t = e.isCharacterDevice() ? FileType.CHAR : FileType.BLOCK;
            layer.mknod(p, t.bits | 0600, Stat.makedev(e.getDevMajor(), e.getDevMinor()));
        } else if (e.isFIFO()) {
            layer.mknod(p, FileType.FIFO.bits | 0600, 0);
        } else if (e.isFile()) {
            writeFile(raw, p, data);
        } else {
            throw new BadArchiveException(raw, "unsupported entry type (not a file, directory, link, device or fifo)");
        }
        return true;
    }

    private boolean skip(String warning) {
        options.warnings().accept(warning);
        skipped++;
        return false;
    }

    private void writeFile(String raw, RelPath p, InputStream data) throws IOException {
        // CREATE_NEW is O_EXCL: never opens an existing name, nor follows a symlink planted at it
        try (OutputStream out = Files.newOutputStream(Path.of(layer.abs(p)), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            while (true) {
                int n;
                try {
                    n = data.read(buf);
                } catch (BadArchiveException ex) {
                    throw ex;
                } catch (IOException | RuntimeException ex) {
                    throw new BadArchiveException(raw, "truncated or corrupt archive: " + ex.getMessage(), ex);
                }
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
            }
        }
    }

    /** Owner first (chown clears set-id bits and file capabilities), then xattrs, mode and times. */
    private void setAttrs(RelPath p, TarArchiveEntry e, Map<String, byte[]> xattrs) throws IOException {
        Stat st = layer.lstat(p);
        if (options.privileged()) {
            layer.lchown(p, (int) e.getLongUserId(), (int) e.getLongGroupId());
        }
        for (Map.Entry<String, byte[]> x : xattrs.entrySet()) {
            setXattr(p, x.getKey(), x.getValue());
        }
        if (!st.isSymlink()) {
            layer.chmod(p, e.getMode() & 07777);
        }
        long ms = e.getLastModifiedTime().toMillis();
        long ns = e.getLastModifiedTime().toInstant().getNano();
        long sec = Math.floorDiv(ms, 1000);
        layer.utimens(p, sec, ns, sec, ns);
    }

    /**
     * The layer's own overlay.* xattrs are data, not markers: they are stored escaped (trusted.overlay.X as
     * trusted.overlay.overlay.X), as kernel overlayfs does since 6.7, so no mount reads them as markers.
     */
    private void setXattr(RelPath p, String name, byte[] value) throws FsException {
        String stored = name;
        if (name.startsWith("trusted.overlay.")) {
            stored = "trusted.overlay.overlay." + name.substring("trusted.overlay.".length());
        } else if (name.startsWith("user.overlay.")) {
            stored = "user.overlay.overlay." + name.substring("user.overlay.".length());
        } else if (Markers.isPrivateXattr(name)) {
            options.warnings().accept("xattr " + name + " of " + p.display() + " skipped: private to fuse-overlayfs");
            return;
        }
        try {
            layer.setxattr(p, stored, value, 0);
        } catch (FsException ex) {
            if (ex.errno() != Errno.EPERM && ex.errno() != Errno.EOPNOTSUPP && ex.errno() != Errno.EACCES) {
                throw ex;
            }
            options.warnings().accept("xattr " + name + " of " + p.display() + " skipped: " + ex.errno());
        }
    }

    /** Ends the layer: drops redundant whiteouts, then sets directory attributes deepest first. */
    void finish() throws IOException {
        for (Map.Entry<RelPath, Kind> k : new ArrayList<>(kinds.entrySet())) {
            if (k.getValue() == Kind.WHITEOUT && underOpaque(k.getKey())) {
                markers.removeWhiteout(layer, k.getKey());
                kinds.remove(k.getKey());
            }
        }
        List<RelPath> dirs = new ArrayList<>();
        for (Map.Entry<RelPath, Kind> k : kinds.entrySet()) {
            if (k.getValue() == Kind.DIR || k.getValue() == Kind.IMPLICIT_DIR) {
                dirs.add(k.getKey());
            }
        }
        dirs.sort(Comparator.comparingInt(RelPath::depth).reversed().thenComparing(Comparator.naturalOrder()));
        for (RelPath d : dirs) {
            DirAttrs a = dirAttrs.get(d);
            if (a != null) {
                setAttrs(d, a.entry(), a.xattrs());
            } else {
                // a directory the tar never listed: fixed attributes, so an import gives the same tree each time
                layer.chmod(d, 0755);
                layer.utimens(d, 0, 0, 0, 0);
            }
        }
    }

    private boolean underOpaque(RelPath p) {
        for (RelPath a = p.parent(); ; a = a.parent()) {
            if (opaque.contains(a)) {
                return true;
            }
            if (a.isRoot()) {
                return false;
            }
        }
    }
}
