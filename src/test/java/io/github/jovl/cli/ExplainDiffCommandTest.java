package io.github.jovl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What `jovl explain` and `jovl diff` print for a known layer set (markers in the AUFS form, so no root is
 * needed): each line checked, not only that the commands run.
 */
class ExplainDiffCommandTest {
    @TempDir
    Path tmp;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private String layers;

    @BeforeEach
    void knownLayers() throws Exception {
        Path low2 = Files.createDirectories(tmp.resolve("low2"));
        Path low1 = Files.createDirectories(tmp.resolve("low1"));
        Path up = Files.createDirectories(tmp.resolve("up"));
        Files.createDirectories(tmp.resolve("work"));
        Files.createDirectories(low2.resolve("d"));
        Files.writeString(low2.resolve("d/a"), "bottom");
        Files.writeString(low2.resolve("d/gone"), "bottom");
        Files.createDirectories(low1.resolve("d"));
        Files.writeString(low1.resolve("d/a"), "middle");
        Files.createDirectories(up.resolve("d"));
        Files.writeString(up.resolve("d/.wh.gone"), "");
        Files.writeString(up.resolve("d/new"), "new");
        layers = "lowerdir=" + low1 + ":" + low2 + ",upperdir=" + up + ",workdir=" + tmp.resolve("work");
    }

    private int run(String... args) {
        out.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void explainNamesTheServingLayerAndWhyTheOthersAreHidden() {
        assertEquals(0, run("explain", "--layers", layers, "d/a"));
        String up = tmp.resolve("up").toString();
        assertEquals("/d/a: a file, served by lower 1 (" + tmp.resolve("low1") + ")\n"
                + "  upper    nothing  has no /d/a\n"
                + "  lower 1  file     serves the path\n"
                + "  lower 2  file     shadowed by /d/a in lower 1\n", out(), up);
        assertEquals(1, run("explain", "--layers", layers, "d/gone"), "not visible: exit 1");
        assertTrue(out().contains("  upper    whiteout (.wh. file)  holds the whiteout that hides /d/gone below it\n"),
                out());
        assertTrue(out().contains("  lower 2  file                  hidden by the whiteout at /d/gone in upper\n"),
                out());
        assertEquals(0, run("explain", "--json", "--layers", layers, "d"));
        assertTrue(out().startsWith("{\"path\":\"/d\",\"visible\":true,\"type\":\"directory\",\"servedBy\":0,"),
                out());
        assertTrue(out().contains("\"contributors\":[0,1,2]"), out());
    }

    @Test
    void diffListsAddedChangedAndDeletedWithAndWithoutTheLowers() {
        assertEquals(0, run("diff", tmp.resolve("up").toString(), "--lower", tmp.resolve("low1").toString(),
                "--lower", tmp.resolve("low2").toString()));
        assertEquals("C /d\nD /d/gone\nA /d/new\n", out());
        // without the lowers nothing records that /d existed below: it reads as added
        assertEquals(0, run("diff", tmp.resolve("up").toString()));
        assertEquals("A /d\nD /d/gone\nA /d/new\n", out());
    }
}
