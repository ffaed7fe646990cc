package io.github.jovl.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jovl.sys.Native;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export rules: markers in every form to OCI whiteouts, order, stripped xattrs, hard links, determinism. */
class LayerExportTest {
    @TempDir
    Path tmp;

    Path lower;
    Path upper;

    /** A lower with a/, a/x, d/, d/y, gone; an upper that changes them with markers in each form. */
    void makeUpper(boolean chardev) throws Exception {
        lower = Files.createDirectories(tmp.resolve("lower"));
        Files.createDirectories(lower.resolve("a"));
        Files.writeString(lower.resolve("a/x"), "x");
        Files.createDirectories(lower.resolve("d"));
        Files.writeString(lower.resolve("d/y"), "y");
        Files.writeString(lower.resolve("gone"), "g");
        Files.writeString(lower.resolve("gone2"), "g");
        upper = Files.createDirectories(tmp.resolve("upper"));
        Files.createDirectories(upper.resolve("a"));
        if (chardev) {
            Native.mknod(upper.resolve("a/x").toString(), 0020000, 0);
        } else {
            Files.writeString(upper.resolve("a/.wh.x"), "");
        }
        Files.writeString(upper.resolve(".wh.gone"), "");
        Files.createDirectories(upper.resolve("d"));
        Native.setxattr(upper.resolve("d").toString(), "user.overlay.opaque", "y".getBytes(), 0);
        Files.writeString(upper.resolve("d/new"), "n");
        Files.createDirectories(upper.resolve("fresh"));
        Native.setxattr(upper.resolve("fresh").toString(), "user.overlay.opaque", "y".getBytes(), 0);
        Files.writeString(upper.resolve("fresh/f"), "f");
        Files.createLink(upper.resolve("fresh/g"), upper.resolve("fresh/f"));
        Native.setxattr(upper.resolve("fresh/f").toString(), "user.keep", new byte[] {0, (byte) 0xff, 1}, 0);
        Native.setxattr(upper.resolve("fresh/f").toString(), "user.overlay.origin", new byte[] {1}, 0);
        Native.setxattr(upper.resolve("fresh/f").toString(), "user.overlay.overlay.mine", new byte[] {2}, 0);
        // xattr whiteout: a zero-size file with overlay.whiteout in a directory marked opaque=x
        Files.writeString(upper.resolve("gone2"), "");
        Native.setxattr(upper.resolve("gone2").toString(), "user.overlay.whiteout", new byte[0], 0);
        Native.setxattr(upper.toString(), "user.overlay.opaque", "x".getBytes(), 0);
    }

    record Entry(String name, char type, byte[] data, TarArchiveEntry raw) {
    }

    static List<Entry> read(byte[] tar) throws Exception {
        List<Entry> out = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextTarEntry()) != null) {
                char t = e.isDirectory() ? 'd' : e.isLink() ? 'h' : e.isSymbolicLink() ? 'l' : 'f';
                out.add(new Entry(e.getName(), t, in.readAllBytes(), e));
            }
        }
        return out;
    }

    LayerExport.Result export(Compression c, Long epoch, ByteArrayOutputStream out) throws Exception {
        return new LayerExport(upper, new LowerView(List.of(lower)), new LayerExport.Options(c, epoch, w -> { }))
                .writeTo(out);
    }

    @Test
    void markersBecomeOciWhiteoutsInOrder() throws Exception {
        makeUpper(Native.geteuid() == 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerExport.Result r = export(Compression.NONE, null, out);
        List<String> names = read(out.toByteArray()).stream().map(Entry::name).toList();
        assertEquals(List.of(".wh.gone", ".wh.gone2", "a/", "a/.wh.x", "d/", "d/.wh..wh..opq", "d/new", "fresh/",
                "fresh/f", "fresh/g"), names);
        assertEquals(Digest.of(out.toByteArray()), r.diffId());
        assertEquals(r.diffId(), r.blobDigest());
    }

    /**
     * An opaque mark on a lower's root hides nothing (the kernel never looks the root up): a file of a deeper
     * lower is shown, so deleting it must export its whiteout. Export asks the engine's lookup, so it agrees.
     */
    @Test
    void anOpaqueMarkOnALowerRootHidesNothingSoTheDeletionIsExported() throws Exception {
        Path top = Files.createDirectories(tmp.resolve("top"));
        Files.writeString(top.resolve(".wh..wh..opq"), "");
        Path bottom = Files.createDirectories(tmp.resolve("bottom"));
        Files.writeString(bottom.resolve("f"), "f");
        upper = Files.createDirectories(tmp.resolve("up2"));
        Files.writeString(upper.resolve(".wh.f"), "");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new LayerExport(upper, new LowerView(List.of(top, bottom)),
                new LayerExport.Options(Compression.NONE, null, w -> { })).writeTo(out);
        assertEquals(List.of(".wh.f"), read(out.toByteArray()).stream().map(Entry::name).toList());
    }

    @Test
    void privateXattrsDroppedEscapedOnesRestoredBinaryKeptHardLinksKept() throws Exception {
        makeUpper(false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        export(Compression.NONE, null, out);
        List<Entry> es = read(out.toByteArray());
        Entry f = es.stream().filter(e -> e.name().equals("fresh/f")).findFirst().orElseThrow();
        Entry g = es.stream().filter(e -> e.name().equals("fresh/g")).findFirst().orElseThrow();
        assertEquals('h', g.type());
        assertEquals("fresh/f", g.raw().getLinkName());
        assertEquals("f", new String(f.data(), StandardCharsets.UTF_8));
        // read xattrs back with jovl's own importer: commons-compress would decode the binary value as UTF-8
        Path back = Files.createDirectories(tmp.resolve("back"));
        LayerImport.unpack(new ByteArrayInputStream(out.toByteArray()), back,
                UnpackOptions.forCurrentUser(true, w -> { }));
        String file = back.resolve("fresh/f").toString();
        assertArrayEquals(new byte[] {0, (byte) 0xff, 1}, Native.getxattrOrNull(file, "user.keep"));
        assertEquals(null, Native.getxattrOrNull(file, "user.overlay.origin"));
        assertArrayEquals(new byte[] {2}, Native.getxattrOrNull(file, "user.overlay.overlay.mine"),
                "exported as user.overlay.mine, stored escaped again on import");
        assertEquals(2, Native.lstat(file).nlink());
    }

    @Test
    void sameUpperGivesSameDigestsAndEpochClamps() throws Exception {
        makeUpper(false);
        Files.setLastModifiedTime(upper.resolve("d/new"), FileTime.fromMillis(4_000_000_000L * 1000));
        for (Compression c : Compression.values()) {
            ByteArrayOutputStream a = new ByteArrayOutputStream();
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            LayerExport.Result ra = export(c, 1_000L, a);
            LayerExport.Result rb = export(c, 1_000L, b);
            assertEquals(ra.diffId(), rb.diffId(), c.name());
            assertEquals(ra.blobDigest(), rb.blobDigest(), c.name());
            assertArrayEquals(a.toByteArray(), b.toByteArray());
        }
        ByteArrayOutputStream clamped = new ByteArrayOutputStream();
        export(Compression.NONE, 1_000L, clamped);
        for (Entry e : read(clamped.toByteArray())) {
            assertTrue(e.raw().getModTime().getTime() <= 1_000_000L, e.name());
        }
        ByteArrayOutputStream unclamped = new ByteArrayOutputStream();
        assertNotEquals(export(Compression.NONE, 1_000L, new ByteArrayOutputStream()).diffId(),
                export(Compression.NONE, null, unclamped).diffId());
    }

    @Test
    void opaqueDirectoryWithoutLowerCounterpartHasNoOpaqueMarker() throws Exception {
        makeUpper(false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        export(Compression.NONE, null, out);
        assertTrue(read(out.toByteArray()).stream().noneMatch(e -> e.name().equals("fresh/.wh..wh..opq")));
    }

    @Test
    void exportThenImportGivesTheSameMarkersBack() throws Exception {
        makeUpper(false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        export(Compression.GZIP, null, out);
        Path back = Files.createDirectories(tmp.resolve("back"));
        UnpackOptions o = UnpackOptions.forCurrentUser(true, w -> { });
        LayerImport.unpack(new ByteArrayInputStream(out.toByteArray()), back, o);
        io.github.jovl.layer.Layer l = new io.github.jovl.layer.Layer(back, 1, false);
        var m = o.markers();
        assertTrue(m.dirMarks(l, io.github.jovl.fs.RelPath.of("d")).opaque());
        for (String w : List.of("gone", "gone2", "a/x")) {
            io.github.jovl.fs.RelPath p = io.github.jovl.fs.RelPath.of(w);
            var st = l.lstat(p);
            assertTrue(st != null && io.github.jovl.whiteout.Markers.isChardevWhiteout(st)
                    || m.hasWhiteoutFile(l, p), w);
        }
        assertEquals("n", Files.readString(back.resolve("d/new")));
    }
}
