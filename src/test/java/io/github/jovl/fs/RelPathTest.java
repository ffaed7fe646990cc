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
}
