package io.github.jovl.oci;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The corpus of hostile layers: one small archive per bug class, named after it, each with the entry name the
 * one-line error must mention. Built in code so each stays readable and reviewable.
 */
final class HostileLayers {
    record Fixture(byte[] archive, String entryInMessage) {
    }

    private HostileLayers() {
    }

    static Map<String, Fixture> all() throws IOException {
        Map<String, Fixture> m = new LinkedHashMap<>();
        m.put("path-traversal", new Fixture(new TarBuilder().file("../evil", "x").build(), "../evil"));
        m.put("path-traversal-inner", new Fixture(new TarBuilder().dir("a").file("a/../../evil", "x").build(),
                "a/../../evil"));
        m.put("absolute-name", new Fixture(new TarBuilder().file("/etc/evil", "x").build(), "/etc/evil"));
        m.put("symlink-escapes-root", new Fixture(new TarBuilder().dir("a").symlink("a/up", "../../etc").build(),
                "a/up"));
        m.put("write-through-symlink", new Fixture(new TarBuilder().symlink("etc", "/etc").file("etc/evil", "x")
                .build(), "etc/evil"));
        m.put("hardlink-escapes-root", new Fixture(new TarBuilder().hardlink("h", "../../etc/shadow").build(), "h"));
        m.put("hardlink-absolute", new Fixture(new TarBuilder().hardlink("h", "/etc/shadow").build(), "h"));
        m.put("hardlink-to-missing", new Fixture(new TarBuilder().hardlink("h", "nothere").build(), "h"));
        m.put("hardlink-to-directory", new Fixture(new TarBuilder().dir("d").hardlink("h", "d").build(), "h"));
        m.put("whiteout-dotdot", new Fixture(new TarBuilder().whiteout(".wh...").build(), ".wh..."));
        m.put("whiteout-empty-name", new Fixture(new TarBuilder().dir("d").whiteout("d/.wh.").build(), "d/.wh."));
        m.put("whiteout-with-slash", new Fixture(new TarBuilder().file(".wh.a/b", "").build(), ".wh.a/b"));
        m.put("whiteout-directory-entry", new Fixture(new TarBuilder().dir(".wh.x").build(), ".wh.x/"));
        m.put("duplicate-file", new Fixture(new TarBuilder().file("f", "1").file("f", "2").build(), "f"));
        m.put("duplicate-directory", new Fixture(new TarBuilder().dir("d").dir("d").build(), "d/"));
        m.put("duplicate-whiteout", new Fixture(new TarBuilder().whiteout(".wh.x").whiteout("./.wh.x").build(),
                "./.wh.x"));
        m.put("file-over-directory", new Fixture(new TarBuilder().file("d/f", "").file("d", "").build(), "d"));
        m.put("oversized-pax-header", new Fixture(new TarBuilder().file("big", "", 0644,
                Map.of("comment", "x".repeat(TarReader.MAX_EXTENDED_HEADER + 10))).build(), "PaxHeaders"));
        m.put("oversized-xattr", new Fixture(new TarBuilder().file("f", "", 0644,
                Map.of("SCHILY.xattr.user.big", "x".repeat(TarReader.MAX_XATTR_VALUE + 1))).build(), "f"));
        m.put("oversized-gnu-long-name", new Fixture(gnuLongName(), "././@LongLink"));
        byte[] ok = new TarBuilder().file("a", "x".repeat(2000)).file("b", "y").build();
        m.put("truncated-in-data", new Fixture(Arrays.copyOf(ok, 512 + 1000), "a"));
        m.put("truncated-in-header", new Fixture(Arrays.copyOf(ok, 512 + 2048 + 100), "a"));
        m.put("missing-end-marker", new Fixture(Arrays.copyOf(ok, 512 + 2048 + 512 + 512), "b"));
        byte[] badSum = ok.clone();
        badSum[600 + 2048] ^= 1; // a byte of b's header name field: its checksum no longer matches
        m.put("corrupt-header-checksum", new Fixture(badSum, "b"));
        byte[] gz = compress(Compression.GZIP, ok);
        m.put("truncated-gzip", new Fixture(Arrays.copyOf(gz, gz.length - 12), "gzip"));
        byte[] gzFlip = gz.clone();
        gzFlip[gzFlip.length - 6] ^= 0x55; // inside the CRC32 trailer
        m.put("corrupt-gzip-crc", new Fixture(gzFlip, "gzip"));
        byte[] zst = compress(Compression.ZSTD, ok);
        m.put("truncated-zstd", new Fixture(Arrays.copyOf(zst, zst.length / 2), "zstd"));
        return m;
    }

    /**
     * A GNU 'L' (long name) header announcing more than the limit, written by hand: commons-compress's writer
     * takes quadratic time over such a name.
     */
    private static byte[] gnuLongName() {
        int size = TarReader.MAX_EXTENDED_HEADER + 512;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(header("././@LongLink", 'L', size));
        byte[] name = new byte[size];
        Arrays.fill(name, (byte) 'n');
        b.writeBytes(name);
        b.writeBytes(new byte[1024]);
        return b.toByteArray();
    }

    /** A ustar header block with a valid checksum. */
    static byte[] header(String name, char type, long size) {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(n, 0, h, 0, Math.min(n.length, 100));
        octal(h, 100, 8, 0644);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, 0);
        h[156] = (byte) type;
        System.arraycopy("ustar\u000000".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, h, 257, 8);
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte x : h) {
            sum += x & 0xff;
        }
        octal(h, 148, 7, sum);
        return h;
    }

    private static void octal(byte[] h, int off, int len, long v) {
        String s = String.format("%0" + (len - 1) + "o", v);
        System.arraycopy(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, h, off, len - 1);
    }

    static byte[] compress(Compression c, byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream o = c.compress(b)) {
            o.write(data);
        }
        return b.toByteArray();
    }
}
