package io.github.jovl.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Hostile paths are refused as the kernel refuses them: NAME_MAX, PATH_MAX, and names that climb or hide. */
class RelPathTest {
    private static Errno refused(String p) {
        return assertThrows(FsException.class, () -> RelPath.of(p)).errno();
    }

    @Test
    void nameMaxAndPathMaxAreTheKernels() throws Exception {
        assertEquals(255, RelPath.of("a".repeat(255)).name().length());
        assertEquals(Errno.ENAMETOOLONG, refused("a".repeat(256)));
        String dirs = "d123456789/".repeat(372); // 4092 bytes
        assertEquals(4095, RelPath.of(dirs + "abc").toString().length()); // PATH_MAX counts the NUL
        assertEquals(Errno.ENAMETOOLONG, refused(dirs + "abcd"));
        assertEquals(Errno.ENAMETOOLONG, assertThrows(FsException.class,
                () -> RelPath.of(dirs + "ab").child("cd")).errno());
    }

    @Test
    void namesThatClimbOrCarryNulAreInvalid() throws Exception {
        assertEquals(Errno.EINVAL, refused("a/../b"));
        assertEquals(Errno.EINVAL, refused(".."));
        assertEquals(Errno.EINVAL, refused("a\0b"));
        assertEquals("a/b", RelPath.of("/a//./b/").toString());
        assertEquals(RelPath.ROOT, RelPath.of("/"));
    }

    /** The parser as it was before its one-pass rewrite: split, drop "" and ".", check each name. */
    private static String reference(String path) {
        String[] parts = java.util.Arrays.stream(path.split("/")).filter(s -> !s.isEmpty() && !s.equals("."))
                .toArray(String[]::new);
        return String.join("/", parts);
    }

    @Test
    void theOnePassParserAgreesWithSplitting() throws Exception {
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        String[] pieces = {"/", "/", "a", "bc", ".", "..", "...", ".x", "\u00e9", "//", "./", "x.", ""};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder();
            for (int n = r.nextInt(8); n > 0; n--) {
                b.append(pieces[r.nextInt(pieces.length)]);
            }
            String p = b.toString();
            boolean climbs = java.util.Arrays.asList(p.split("/")).contains("..");
            if (climbs) {
                assertEquals(Errno.EINVAL, refused(p), p);
            } else {
                RelPath got = RelPath.of(p);
                assertEquals(reference(p), got.toString(), p);
                assertEquals(reference(p).isEmpty() ? 0 : reference(p).split("/").length, got.depth(), p);
                if (got.depth() > 0) {
                    assertEquals(RelPath.of(reference(p).substring(0, Math.max(0,
                            reference(p).lastIndexOf('/')))), got.parent(), p);
                }
            }
        }
    }

    @Test
    void nameMaxCountsBytesNotCharacters() throws Exception {
        assertEquals(85, RelPath.of("\u00e9".repeat(85)).name().length()); // 170 bytes
        assertEquals(127, RelPath.of("\u00e9".repeat(127)).name().length()); // 254 bytes
        assertEquals(Errno.ENAMETOOLONG, refused("\u00e9".repeat(128))); // 256 bytes
        assertEquals(Errno.ENAMETOOLONG, refused("/a/" + "\u65e5".repeat(86))); // 258 bytes
    }
}
