package io.github.jovl.union;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jovl.config.OverlayConfig;
import io.github.jovl.config.WhiteoutFormat;
import io.github.jovl.fs.Caller;
import io.github.jovl.fs.DirEntry;
import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FsException;
import io.github.jovl.fs.RelPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A quick walk through the engine's main paths, with the cache on and off and both whiteout forms. */
class OverlayBasicsTest {
    @TempDir
    Path tmp;

    private Overlay open(boolean cache, WhiteoutFormat wf) throws Exception {
        Path lower = Files.createDirectories(tmp.resolve("lower"));
        Files.writeString(lower.resolve("f"), "lower-f");
        Files.createDirectories(lower.resolve("d/sub"));
        Files.writeString(lower.resolve("d/x"), "x");
        return Overlay.open(OverlayConfig.builder().lower(lower)
                .upper(Files.createDirectories(tmp.resolve("upper")))
                .work(Files.createDirectories(tmp.resolve("work"))).whiteout(wf).cache(cache).build());
    }

    private static RelPath p(String s) throws FsException {
        return RelPath.of(s);
    }

    private static List<String> names(Overlay o, String dir) throws FsException {
        return o.readdir(p(dir)).stream().map(DirEntry::name).sorted().collect(Collectors.toList());
    }

    @ParameterizedTest
    @CsvSource({"true,WHFILE", "false,WHFILE", "true,CHARDEV", "false,CHARDEV"})
    void copyUpWhiteoutAndOpaque(boolean cache, WhiteoutFormat wf) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(wf == WhiteoutFormat.WHFILE
                || io.github.jovl.layer.FileIo.euid() == 0 || "true".equals(System.getenv("CI")));
        try (Overlay o = open(cache, wf)) {
            long ino = o.getattr(p("f")).ino();
            long fh = o.open(p("f"), 2);
            byte[] more = "!".getBytes(StandardCharsets.UTF_8);
            o.write(fh, more, 1, 7);
            o.release(fh);
            assertEquals("lower-f!", Files.readString(tmp.resolve("upper/f")));
            assertEquals("lower-f", Files.readString(tmp.resolve("lower/f")));
            assertEquals(ino, o.getattr(p("f")).ino(), "st_ino survives copy-up");

            o.unlink(p("d/x"));
            assertEquals(List.of(".", "..", "sub"), names(o, "d"));
            o.rmdir(p("d/sub"));
            assertThrows(FsException.class, () -> o.getattr(p("d/sub")));
            o.rmdir(p("d"));
            assertFalse(names(o, "").contains("d"));
            o.mkdir(Caller.SELF, p("d"), 0755);
            assertEquals(List.of(".", ".."), names(o, "d"), "mkdir over a whiteout is opaque");

            FsException e = assertThrows(FsException.class, () -> o.mkdir(Caller.SELF, p("d"), 0755));
            assertEquals(Errno.EEXIST, e.errno());
            assertTrue(Files.list(tmp.resolve("work/work")).findAny().isEmpty(), "no temporaries left");
        }
    }

    @ParameterizedTest
    @CsvSource({"true", "false"})
    void renameRules(boolean cache) throws Exception {
        try (Overlay o = open(cache, WhiteoutFormat.WHFILE)) {
            assertEquals(Errno.EXDEV, assertThrows(FsException.class, () -> o.rename(p("d"), p("e"), 0)).errno());
            o.rename(p("f"), p("g"), 0);
            assertEquals(List.of(".", "..", "d", "g"), names(o, ""));
            long fh = o.open(p("g"), 0);
            byte[] buf = new byte[16];
            int n = o.read(fh, buf, buf.length, 0);
            o.release(fh);
            assertArrayEquals("lower-f".getBytes(StandardCharsets.UTF_8), java.util.Arrays.copyOf(buf, n));
            o.mkdir(Caller.SELF, p("n"), 0700);
            o.rename(p("n"), p("n2"), 0);
            assertEquals(List.of(".", "..", "d", "g", "n2"), names(o, ""));
        }
    }
}
