package io.github.jovl.oci;

import io.github.jovl.config.XattrNamespace;
import io.github.jovl.fs.DirEntry;
import io.github.jovl.fs.RelPath;
import io.github.jovl.fs.Stat;
import io.github.jovl.layer.Layer;
import io.github.jovl.whiteout.Markers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Writes an upper directory's changes as an OCI layer tar:
 * <ul>
 *   <li>whiteouts in every on-disk form (0/0 device, .wh. file, xattr whiteout) become {@code .wh.NAME};</li>
 *   <li>an opaque directory becomes its directory entry plus {@code .wh..wh..opq}, only when a lower layer has
 *       the directory (else there is nothing to hide);</li>
 *   <li>overlay-private xattrs are dropped, escaped ones ({@code trusted.overlay.overlay.X}) written unescaped;</li>
 *   <li>in each directory the opaque marker, then whiteouts, then the other entries, each group sorted by name;
 *       a second name of a file already written becomes a hard link;</li>
 *   <li>mtimes are whole seconds, clamped to the source date epoch when one is given.</li>
 * </ul>
 * The same upper therefore always gives the same tar, and the same DiffID.
 */
public final class LayerExport {
    /** @param sourceDateEpoch clamp mtimes to this (seconds), or null to keep them */
    public record Options(Compression compression, Long sourceDateEpoch, Consumer<String> warnings,
                          Progress progress) {
        public Options(Compression compression, Long sourceDateEpoch, Consumer<String> warnings) {
            this(compression, sourceDateEpoch, warnings, Progress.NONE);
        }
    }

    public record Result(Digest diffId, long tarSize, Digest blobDigest, long blobSize, long entries) {
    }

    private final Layer upper;
    private final LowerView lowers;
    private final Options options;
    private final Markers markers = new Markers(true, XattrNamespace.TRUSTED, true);
    private final Map<Long, String> firstNameOfInode = new HashMap<>();
    private TarWriter tar;
    private long entries;

    /** @param lowers what lies below the upper, or null when unknown (then every opaque dir keeps its marker) */
    public LayerExport(Path upper, LowerView lowers, Options options) {
        this.upper = new Layer(upper, 0, true);
        this.lowers = lowers;
        this.options = options;
    }

    public Result writeTo(OutputStream blob) throws IOException {
        HashingOutputStream blobHash = new HashingOutputStream(blob);
        OutputStream compressed = options.compression().compress(blobHash);
        HashingOutputStream tarHash = new HashingOutputStream(compressed);
        tar = new TarWriter(tarHash);
        walk(RelPath.ROOT, true);
        tar.close();
        options.progress().done();
        tarHash.flush();
        if (options.compression() != Compression.NONE) {
            compressed.close(); // finishes the gzip/zstd frame; blobHash does not close the caller's stream
        }
        return new Result(tarHash.digest(), tarHash.count(), blobHash.digest(), blobHash.count(), entries);
    }

    private void walk(RelPath dir, boolean existsBelow) throws IOException {
        Markers.DirMarks marks = markers.dirMarks(upper, dir);
        boolean xwhiteouts = marks.xwhiteouts();
        boolean opaque = !dir.isRoot() && marks.opaque();
        TreeSet<String> whiteouts = new TreeSet<>();
        TreeMap<String, Stat> others = new TreeMap<>();
        for (DirEntry e : upper.list(dir)) {
            String n = e.name();
            if (n.equals(Markers.OPAQUE_FILE)) {
                continue;
            }
            if (Markers.isMarkerName(n)) {
                whiteouts.add(n.substring(Markers.WH_PREFIX.length()));
                continue;
            }
            RelPath p = dir.child(n);
            Stat st = upper.lstat(p);
            if (st == null) {
                continue;
            }
            if (markers.isWhiteout(upper, p, st, xwhiteouts)) {
                whiteouts.add(n);
            } else {
                others.put(n, st);
            }
        }
        if (opaque && existsBelow) {
            emitMarker(dir, Markers.OPAQUE_FILE);
        }
        // under an opaque directory, or one the lowers lack, a whiteout has nothing to hide
        if (existsBelow && !opaque) {
            for (String w : whiteouts) {
                if (!w.isEmpty() && !w.startsWith(Markers.WH_PREFIX) && (lowers == null
                        || lowers.lookup(dir.child(w)) != null)) {
                    emitMarker(dir, Markers.whiteoutName(w));
                }
            }
        }
        for (Map.Entry<String, Stat> e : others.entrySet()) {
            RelPath p = dir.child(e.getKey());
            Stat st = e.getValue();
            emit(p, st);
            if (st.isDir()) {
                // unknown lowers: assume the directory exists below, so its whiteouts are kept (harmless if not)
                walk(p, existsBelow && !opaque && (lowers == null || isDirBelow(p)));
            }
        }
    }

    private boolean isDirBelow(RelPath p) throws IOException {
        Stat s = lowers.lookup(p);
        return s != null && s.isDir();
    }

    private void counted() {
        entries++;
        options.progress().update(tar.written(), entries);
    }

    private void emitMarker(RelPath dir, String name) throws IOException {
        RelPath p = dir.child(name);
        Stat st = upper.lstat(dir);
        tar.write(new TarWriter.Header(p.toString(), TarWriter.REGULAR, 0644, 0, 0, 0, mtime(st), null, 0, 0,
                Map.of()), null);
        counted();
    }

    private void emit(RelPath p, Stat st) throws IOException {
        Map<String, byte[]> xattrs = xattrs(p);
        long mtime = mtime(st);
        String name = p.toString();
        switch (st.type()) {
            case DIRECTORY -> tar.write(header(name + "/", TarWriter.DIR, st, 0, null, xattrs, mtime), null);
            case SYMLINK -> tar.write(header(name, TarWriter.SYMLINK, st, 0, upper.readlink(p), xattrs, mtime), null);
            case FIFO -> tar.write(header(name, TarWriter.FIFO, st, 0, null, xattrs, mtime), null);
            case CHAR, BLOCK -> tar.write(new TarWriter.Header(name, st.type() == io.github.jovl.fs.FileType.CHAR
                    ? TarWriter.CHAR : TarWriter.BLOCK, st.permissions(), st.uid(), st.gid(), 0, mtime, null,
                    st.rdevMajor(), st.rdevMinor(), xattrs), null);
            case REGULAR -> {
                String first = st.nlink() > 1 ? firstNameOfInode.putIfAbsent(st.ino(), name) : null;
                if (first != null) {
                    tar.write(header(name, TarWriter.HARDLINK, st, 0, first, Map.of(), mtime), null);
                } else {
                    try (InputStream in = Files.newInputStream(Path.of(upper.abs(p)))) {
                        tar.write(header(name, TarWriter.REGULAR, st, st.size(), null, xattrs, mtime), in);
                    }
                }
            }
            case SOCKET -> {
                options.warnings().accept("socket " + p.display() + " skipped: tar has no sockets");
                return;
            }
            default -> throw new IllegalStateException(st.type().toString());
        }
        counted();
    }

    private static TarWriter.Header header(String name, char type, Stat st, long size, String link,
                                           Map<String, byte[]> xattrs, long mtime) {
        return new TarWriter.Header(name, type, st.permissions(), st.uid(), st.gid(), size, mtime, link, 0, 0,
                xattrs);
    }

    private long mtime(Stat st) {
        long sec = Math.floorDiv(st.mtimeNs(), 1_000_000_000L);
        Long epoch = options.sourceDateEpoch();
        return epoch != null && sec > epoch ? epoch : sec;
    }

    /** The object's own xattrs: the overlay's are dropped, escaped ones are the object's and are unescaped. */
    private Map<String, byte[]> xattrs(RelPath p) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        for (String n : upper.listxattr(p)) {
            String name = n;
            if (n.startsWith("trusted.overlay.overlay.")) {
                name = "trusted.overlay." + n.substring("trusted.overlay.overlay.".length());
            } else if (n.startsWith("user.overlay.overlay.")) {
                name = "user.overlay." + n.substring("user.overlay.overlay.".length());
            } else if (Markers.isPrivateXattr(n)) {
                continue;
            }
            byte[] v = upper.getxattr(p, n);
            if (v != null) {
                out.put(name, v);
            }
        }
        return out;
    }

    /** The lowers of a container, for {@link LowerView}: its image's layer roots, top first. */
    public static List<Path> lowerRoots(LayerStore layers, ImageInfo image) {
        List<Path> roots = new ArrayList<>();
        List<Digest> ids = image.layerDigests();
        for (int i = ids.size() - 1; i >= 0; i--) {
            roots.add(layers.rootOf(ids.get(i)));
        }
        return roots;
    }
}
