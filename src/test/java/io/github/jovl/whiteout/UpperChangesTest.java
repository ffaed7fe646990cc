package io.github.jovl.whiteout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jovl.config.OverlayConfig;
import io.github.jovl.config.WhiteoutFormat;
import io.github.jovl.config.XattrNamespace;
import io.github.jovl.fs.Caller;
import io.github.jovl.fs.RelPath;
import io.github.jovl.layer.Layer;
import io.github.jovl.union.Overlay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Changes read back from an upper that the engine wrote, with and without knowing the lowers. */
class UpperChangesTest {
    @TempDir
    Path tmp;

    @Test
    void copiedUpDeletedOpaqueAndNew() throws Exception {
        Path lower = Files.createDirectories(tmp.resolve("lower"));
        Files.writeString(lower.resolve("a"), "a");
        Files.createDirectories(lower.resolve("d"));
        Files.writeString(lower.resolve("d/x"), "x");
        Files.createDirectories(lower.resolve("e"));
        Files.writeString(lower.resolve("e/y"), "y");
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        try (Overlay o = Overlay.open(OverlayConfig.builder().lower(lower).upper(upper)
                .work(Files.createDirectories(tmp.resolve("work"))).whiteout(WhiteoutFormat.WHFILE)
                .xattrNamespace(XattrNamespace.USER).build())) {
            o.chmod(RelPath.of("a"), 0600);
            o.unlink(RelPath.of("d/x"));
            o.unlink(RelPath.of("e/y"));
            o.rmdir(RelPath.of("e"));
            o.mkdir(Caller.SELF, RelPath.of("e"), 0755);
            o.mkdir(Caller.SELF, RelPath.of("n"), 0755);
            o.release(o.create(Caller.SELF, RelPath.of("n/f"), 0644, 1));
        }
        Markers m = new Markers(false, XattrNamespace.USER, true);
        Layer up = new Layer(upper, 0, true);
        List<String> expected = List.of("C /a", "C /d", "D /d/x", "C /e", "A /n", "A /n/f");
        assertEquals(expected, new UpperChanges(up, m, null).scan().stream().map(Object::toString).toList());
        assertEquals(expected, new UpperChanges(up, m, p -> Files.exists(lower.resolve(p.toString())))
                .scan().stream().map(Object::toString).toList());
    }
}
