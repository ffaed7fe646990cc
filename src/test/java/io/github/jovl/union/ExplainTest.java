package io.github.jovl.union;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jovl.config.OverlayConfig;
import io.github.jovl.fs.RelPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** explain names the serving layer and, for each other layer, the first reason it stops taking part. */
class ExplainTest {
    @TempDir
    Path tmp;

    private Overlay overlay() throws Exception {
        Path low2 = Files.createDirectories(tmp.resolve("low2"));
        Path low1 = Files.createDirectories(tmp.resolve("low1"));
        Path up = Files.createDirectories(tmp.resolve("up"));
        Files.createDirectories(low2.resolve("d"));
        Files.writeString(low2.resolve("d/f"), "bottom");
        Files.writeString(low2.resolve("gone"), "bottom");
        Files.writeString(low2.resolve("o"), "file below an opaque dir");
        Files.createDirectories(low1.resolve("d"));
        Files.writeString(low1.resolve("d/f"), "middle");
        Files.writeString(low1.resolve(".wh.gone"), "");
        Files.createDirectories(low1.resolve("o"));
        Files.writeString(low1.resolve("o/.wh..wh..opq"), "");
        Files.createDirectories(up.resolve("d"));
        return Overlay.open(OverlayConfig.builder().lowers(List.of(low1, low2)).upper(up)
                .work(Files.createDirectories(tmp.resolve("work"))).build());
    }

    @Test
    void explainsServingShadowedWhiteoutAndMerge() throws Exception {
        try (Overlay o = overlay()) {
            Explanation f = o.explain(RelPath.of("d/f"));
            assertTrue(f.visible());
            assertEquals(1, f.servedBy());
            assertEquals("has no /d/f", f.layers().get(0).verdict());
            assertEquals("serves the path", f.layers().get(1).verdict());
            assertEquals("shadowed by /d/f in lower 1", f.layers().get(2).verdict());

            Explanation gone = o.explain(RelPath.of("gone"));
            assertFalse(gone.visible());
            assertEquals("whiteout (.wh. file)", gone.layers().get(1).holds());
            assertEquals("hidden by the whiteout at /gone in lower 1", gone.layers().get(2).verdict());

            Explanation d = o.explain(RelPath.of("d"));
            assertEquals(List.of(0, 1, 2), d.contributors());
            assertEquals("an upper directory merged with the lower ones", d.copiedUp());
            o.mkdir(io.github.jovl.fs.Caller.SELF, RelPath.of("n"), 0755);
            assertEquals("new in the upper", o.explain(RelPath.of("n")).copiedUp());
            o.chmod(RelPath.of("d/f"), 0600);
            assertTrue(o.explain(RelPath.of("d/f")).copiedUp().startsWith("copied up from a lower layer"));

            Explanation od = o.explain(RelPath.of("o"));
            assertEquals("opaque directory", od.layers().get(1).holds());
            assertEquals("hidden under the opaque directory /o in lower 1", od.layers().get(2).verdict());
        }
    }
}
