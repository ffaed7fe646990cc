package io.github.jovl.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MountTableTest {
    /** As the kernel writes it: octal escapes, optional fields before "-", UTF-8 bytes as they are. */
    private static final String TEXT = String.join("\n",
            "22 1 0:21 / / rw,relatime shared:1 - ext4 /dev/vda rw",
            "40 22 0:39 / /tmp/a\\040b rw,nosuid,nodev,relatime shared:5 master:2 - fuse.jovl jovl rw,user_id=0",
            "41 40 0:40 / /tmp/a\\040b rw,relatime - overlay jovl rw,lowerdir=/l\\134x",
            "42 22 0:41 / /mnt/caf\u00c3\u00a9 rw - fuse fuse-overlayfs rw",
            "garbage line",
            "");

    @Test
    void parsesEscapesAndTheFieldsAfterTheSeparator() {
        MountTable t = MountTable.parse(TEXT);
        assertEquals(4, t.entries().size());
        MountTable.Entry e = t.byId(40);
        assertEquals(Path.of("/tmp/a b"), e.mountPoint());
        assertEquals("fuse.jovl", e.fsType());
        assertEquals("jovl", e.source());
        assertTrue(e.isFuse());
        assertEquals(Path.of("/mnt/caf\u00e9"), t.byId(42).mountPoint(), "UTF-8 names come back whole");
        assertTrue(t.byId(42).isFuse());
        assertFalse(t.byId(41).isFuse());
    }

    @Test
    void theLastMountAtAPathIsOnTop() {
        MountTable t = MountTable.parse(TEXT);
        assertEquals(41, t.top(Path.of("/tmp/a b")).id());
        assertEquals(Set.of(40L, 41L), t.idsAt(Path.of("/tmp/a b")));
        assertNull(t.top(Path.of("/tmp")));
        assertNull(t.byId(99));
    }

    @Test
    void unescapeLeavesOtherBackslashesAlone() {
        assertEquals("a\\b c\\", MountTable.unescape("a\\b\\040c\\"));
        assertEquals("\t\n\\", MountTable.unescape("\\011\\012\\134"));
    }

    @Test
    void readsThisProcessesTable() throws Exception {
        MountTable t = MountTable.read();
        assertTrue(t.entries().stream().anyMatch(e -> e.mountPoint().equals(Path.of("/"))));
    }
}
