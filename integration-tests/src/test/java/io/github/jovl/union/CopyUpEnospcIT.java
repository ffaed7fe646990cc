package io.github.jovl.union;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.jovl.config.OverlayConfig;
import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FsException;
import io.github.jovl.fs.RelPath;
import io.github.jovl.sys.Native;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copy-up that runs out of space on the upper fails with ENOSPC and leaves no trace: the upper unchanged, the
 * workdir empty, the lower intact, and the engine still usable. The upper is a 1 MiB tmpfs (needs root).
 */
class CopyUpEnospcIT {
    @TempDir
    Path tmp;
    private Path small;
    private boolean mounted;

    @BeforeEach
    void smallUpperFilesystem() throws Exception {
        boolean root = Native.geteuid() == 0;
        if (!"true".equals(System.getenv("CI"))) {
            Assumptions.assumeTrue(root, "mounting a tmpfs needs root");
        }
        small = Files.createDirectories(tmp.resolve("small"));
        Native.mount("tmpfs", small.toString(), "tmpfs", 0, "size=1m");
        mounted = true;
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            Native.umount(small.toString(), 2);
        }
    }

    @Test
    void enospcDuringCopyUpLeavesUpperAndWorkdirClean() throws Exception {
        Path lower = Files.createDirectories(tmp.resolve("lower"));
        byte[] big = new byte[4 << 20];
        new Random(7).nextBytes(big);
        Files.createDirectories(lower.resolve("d"));
        Files.write(lower.resolve("d/big"), big);
        Files.writeString(lower.resolve("d/small"), "fits");
        Path upper = Files.createDirectories(small.resolve("upper"));
        Path work = Files.createDirectories(small.resolve("work"));
        try (Overlay o = Overlay.open(OverlayConfig.builder().lower(lower).upper(upper).work(work).build())) {
            FsException e = assertThrows(FsException.class, () -> o.open(RelPath.of("d/big"), 2));
            assertEquals(Errno.ENOSPC, e.errno());
            try (var w = Files.list(work.resolve("work"))) {
                assertEquals(List.of(), w.toList(), "the half-built copy is removed");
            }
            assertEquals(false, Files.exists(upper.resolve("d/big")), "the upper never shows a partial file");
            assertArrayEquals(big, Files.readAllBytes(lower.resolve("d/big")), "the lower is untouched");

            long fh = o.open(RelPath.of("d/small"), 2); // the engine goes on working where space allows
            o.release(fh);
            assertEquals("fits", Files.readString(upper.resolve("d/small")));
        }
    }
}
