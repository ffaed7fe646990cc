package io.github.jovl.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jovl.fs.RelPath;
import io.github.jovl.fs.Stat;
import io.github.jovl.layer.Layer;
import io.github.jovl.sys.Native;
import io.github.jovl.whiteout.Markers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The import rules: tar entries to the overlay on-disk form of one layer. */
class LayerImportTest {
    @TempDir
    Path tmp;
    final List<String> warnings = new ArrayList<>();
    Path dir;
    Layer layer;
    Markers markers;

    LayerImport.Result unpack(byte[] tar) throws Exception {
        dir = Files.createDirectories(tmp.resolve("layer"));
        layer = new Layer(dir, 1, false);
        UnpackOptions o = UnpackOptions.forCurrentUser(true, warnings::add);
        markers = o.markers();
        return LayerImport.unpack(new ByteArrayInputStream(tar), dir, o);
    }

    boolean isWhiteout(String path) throws Exception {
        RelPath p = RelPath.of(path);
        Stat st = layer.lstat(p);
        if (st != null && Markers.isChardevWhiteout(st)) {
            return true;
        }
        return st == null && markers.hasWhiteoutFile(layer, p);
    }

    boolean isOpaque(String path) throws Exception {
        return markers.dirMarks(layer, RelPath.of(path)).opaque();
    }

    @Test
    void plainEntriesKeepTypeModeOwnerTimesAndXattrs() throws Exception {
        TarBuilder t = new TarBuilder().dir("d", 0750);
        t.file("d/f", "hello", 04755, Map.of("SCHILY.xattr.user.note", "v1"));
        t.symlink("d/abs", "/etc/passwd").symlink("d/rel", "../d/f").hardlink("d/h", "d/f").fifo("d/p");
        LayerImport.Result r = unpack(t.build());
        assertEquals(Compression.NONE, r.compression());
        assertEquals(r.blobDigest(), r.diffId(), "an uncompressed blob is its own DiffID");
        assertEquals("hello", Files.readString(dir.resolve("d/f")));
        Stat f = Native.lstat(dir.resolve("d/f").toString());
        assertEquals(04755, f.permissions());
        assertEquals(1_000_000L * 1_000_000_000L, f.mtimeNs());
        assertEquals(2, f.nlink(), "the hard link shares the inode");
        assertEquals(0750, Native.lstat(dir.resolve("d").toString()).permissions());
        assertEquals(1_000_000L * 1_000_000_000L, Native.lstat(dir.resolve("d").toString()).mtimeNs(),
                "directory times are set after their children are written");
        assertEquals("/etc/passwd", Files.readSymbolicLink(dir.resolve("d/abs")).toString());
        assertTrue(Native.lstat(dir.resolve("d/p").toString()).type() == io.github.jovl.fs.FileType.FIFO);
        assertArrayEquals("v1".getBytes(StandardCharsets.UTF_8), Native.getxattrOrNull(dir.resolve("d/f").toString(),
                "user.note"));
    }

    @Test
    void gzipAndZstdAreRecognisedByMagicAndHashedBothWays() throws Exception {
        byte[] tar = new TarBuilder().file("a", "x").build();
        for (Compression c : List.of(Compression.GZIP, Compression.ZSTD)) {
            ByteArrayOutputStream z = new ByteArrayOutputStream();
            try (OutputStream out = c.compress(z)) {
                out.write(tar);
            }
            Files.walk(tmp).sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(tmp))
                    .forEach(p -> p.toFile().delete());
            LayerImport.Result r = unpack(z.toByteArray());
            assertEquals(c, r.compression());
            assertEquals(Digest.of(tar), r.diffId(), "the DiffID is the digest of the tar inside");
            assertEquals(Digest.of(z.toByteArray()), r.blobDigest());
            assertNotEquals(r.diffId(), r.blobDigest());
            assertEquals("x", Files.readString(dir.resolve("a")));
        }
    }

    @Test
    void whiteoutBecomesOnDiskWhiteout() throws Exception {
        unpack(new TarBuilder().dir("d").whiteout("d/.wh.gone").build());
        assertTrue(isWhiteout("d/gone"));
        assertFalse(Files.exists(dir.resolve("d/.wh.gone")) && markers.chardevWhiteouts());
    }

    @Test
    void opaqueMarkerAppliesWhereverItAppearsAndKeepsTheLayersOwnEntries() throws Exception {
        unpack(new TarBuilder().dir("d").file("d/mine", "m").whiteout("d/.wh..wh..opq").file("d/later", "l").build());
        assertTrue(isOpaque("d"));
        assertEquals("m", Files.readString(dir.resolve("d/mine")), "an opaque marker hides only lower layers");
        assertEquals("l", Files.readString(dir.resolve("d/later")));
    }

    @Test
    void opaqueMarkerBeforeItsDirectoryEntryStillTakesTheEntrysMode() throws Exception {
        unpack(new TarBuilder().whiteout("d/.wh..wh..opq").dir("d", 0700).build());
        assertTrue(isOpaque("d"));
        assertEquals(0700, Native.lstat(dir.resolve("d").toString()).permissions());
    }

    @Test
    void whiteoutNeededAsParentBecomesOpaqueDirectory() throws Exception {
        unpack(new TarBuilder().whiteout(".wh.d").file("d/new", "n").build());
        assertTrue(Files.isDirectory(dir.resolve("d")));
        assertTrue(isOpaque("d"), "the lower d stays hidden");
        assertEquals("n", Files.readString(dir.resolve("d/new")));
        assertFalse(isWhiteout("d"));
    }

    @Test
    void whiteoutAndSameLayerDirectoryInEitherOrderGiveAnOpaqueDirectory() throws Exception {
        unpack(new TarBuilder().dir("a").file("a/x", "x").whiteout(".wh.a").whiteout(".wh.b").dir("b").build());
        for (String d : List.of("a", "b")) {
            assertTrue(Files.isDirectory(dir.resolve(d)), d);
            assertTrue(isOpaque(d), d);
        }
        assertEquals("x", Files.readString(dir.resolve("a/x")), "a whiteout hides only lower layers");
    }

    @Test
    void whiteoutThenSameLayerFileKeepsTheFile() throws Exception {
        unpack(new TarBuilder().whiteout(".wh.f").file("f", "new").build());
        assertEquals("new", Files.readString(dir.resolve("f")));
        assertFalse(isWhiteout("f"));
    }

    @Test
    void noPlainWhiteoutInsideAnOpaqueDirectoryOfTheSameLayer() throws Exception {
        unpack(new TarBuilder().dir("d").whiteout("d/.wh.x").dir("d/sub").whiteout("d/sub/.wh.y")
                .whiteout("d/.wh..wh..opq").whiteout(".wh.keep").build());
        assertTrue(isOpaque("d"));
        assertFalse(isWhiteout("d/x"), "redundant under an opaque directory");
        assertFalse(isWhiteout("d/sub/y"));
        assertTrue(isWhiteout("keep"));
    }

    @Test
    void overlayXattrsOfTheLayerAreStoredEscaped() throws Exception {
        String name = Native.geteuid() == 0 ? "trusted.overlay.opaque"
                : "user.overlay.opaque";
        unpack(new TarBuilder().dir("d").file("d/f", "", 0644, Map.of("SCHILY.xattr." + name, "y")).build());
        String f = dir.resolve("d/f").toString();
        assertEquals(null, Native.getxattrOrNull(f, name), "not a marker");
        assertArrayEquals(new byte[] {'y'}, Native.getxattrOrNull(f, name.replace("overlay.", "overlay.overlay.")));
    }

    @Test
    void devicesAsRootOrSkippedWithAWarning() throws Exception {
        unpack(new TarBuilder().chardev("null", 1, 3).chardev("zero00", 0, 0).build());
        Stat st = Native.lstatOrNull(dir.resolve("null").toString());
        if (Native.geteuid() == 0) {
            assertEquals(1, st.rdevMajor());
            assertEquals(3, st.rdevMinor());
        } else {
            assertEquals(null, st);
            assertTrue(warnings.stream().anyMatch(w -> w.contains("null")));
        }
        assertFalse(Files.exists(dir.resolve("zero00"), java.nio.file.LinkOption.NOFOLLOW_LINKS),
                "a 0/0 char device would read as a whiteout");
        assertTrue(warnings.stream().anyMatch(w -> w.contains("zero00")));
    }

    @Test
    void progressIsToldAfterEachEntryAndAtTheEnd() throws Exception {
        dir = Files.createDirectories(tmp.resolve("layer"));
        List<Long> seen = new ArrayList<>();
        boolean[] done = {false};
        byte[] tar = new TarBuilder().dir("d").file("d/a", "x".repeat(5000)).file("d/b", "y").build();
        LayerImport.unpack(new ByteArrayInputStream(tar), dir, UnpackOptions.forCurrentUser(true, w -> { }),
                new Progress() {
                    @Override
                    public void update(long bytes, long entries) {
                        seen.add(entries);
                        assertTrue(bytes > 0 && bytes <= tar.length);
                    }

                    @Override
                    public void done() {
                        done[0] = true;
                    }
                });
        assertEquals(List.of(1L, 2L, 3L), seen);
        assertTrue(done[0]);
    }
}
