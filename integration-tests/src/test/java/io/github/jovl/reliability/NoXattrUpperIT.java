package io.github.jovl.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jovl.config.OverlayConfig;
import io.github.jovl.fs.Caller;
import io.github.jovl.fs.DirEntry;
import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FsException;
import io.github.jovl.fs.RelPath;
import io.github.jovl.it.Mounts;
import io.github.jovl.it.Prereq;
import io.github.jovl.sys.Native;
import io.github.jovl.union.Overlay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upper on a filesystem that takes no xattrs at all (ramfs): the engine still works, marking opaque
 * directories with a .wh..wh..opq file instead of overlay.opaque, and reads them back the same after a restart.
 */
class NoXattrUpperIT {
    @TempDir
    Path tmp;

    @AfterEach
    void nothingLeft() throws Exception {
        assertEquals(List.of(), Mounts.detachAllUnder(tmp), "mounts left behind (now detached)");
    }

    private static List<String> names(Overlay o, String dir) throws FsException {
        return o.readdir(RelPath.of(dir)).stream().map(DirEntry::name).filter(n -> !n.startsWith(".")).sorted()
                .toList();
    }

    @Test
    void opaqueDirectoriesFallBackToTheWhiteoutFileForm() throws Exception {
        Prereq.requireRoot();
        Path lower = Files.createDirectories(tmp.resolve("lower/d"));
        Files.writeString(lower.resolve("x"), "x");
        Files.writeString(lower.resolve("y"), "y");
        Path ram = Files.createDirectories(tmp.resolve("ram"));
        Native.mount("ramfs", ram.toString(), "ramfs", 0, "");
        try {
            onRamfs(tmp.resolve("lower"), ram);
        } finally {
            Native.umount(ram.toString(), 0);
        }
    }

    private void onRamfs(Path lowerRoot, Path ram) throws Exception {
        Path upper = Files.createDirectories(ram.resolve("upper"));
        Path work = Files.createDirectories(ram.resolve("work"));
        OverlayConfig c = OverlayConfig.builder().lower(lowerRoot).upper(upper).work(work).build();
        try (Overlay o = Overlay.open(c)) {
            o.unlink(RelPath.of("d/x"));
            o.unlink(RelPath.of("d/y"));
            o.rmdir(RelPath.of("d"));
            o.mkdir(Caller.SELF, RelPath.of("d"), 0755);
            o.release(o.create(Caller.SELF, RelPath.of("d/n"), 0644, 1));
            assertEquals(List.of("n"), names(o, "d"));
        }
        assertTrue(Files.exists(upper.resolve("d/.wh..wh..opq")), "opacity kept as a file: no xattrs here");
        try (Overlay o = Overlay.open(c)) {
            assertEquals(List.of("n"), names(o, "d"), "after a restart the lower's d/x and d/y stay hidden");
            assertEquals(Errno.ENOENT, assertThrows(FsException.class, () -> o.getattr(RelPath.of("d/x"))).errno());
            assertEquals(Errno.ENOENT, assertThrows(FsException.class,
                    () -> o.getattr(RelPath.of("d/.wh..wh..opq"))).errno(), "the marker never shows");
        }
    }
}
