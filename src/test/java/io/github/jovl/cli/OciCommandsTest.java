package io.github.jovl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The layer, image and commit commands end to end on a temporary store, without mounting. */
class OciCommandsTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    Path layerTar(String name, String content) throws Exception {
        Path f = tmp.resolve(name + ".tar");
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(Files.newOutputStream(f))) {
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(content.length());
            t.putArchiveEntry(e);
            t.write(content.getBytes());
            t.closeArchiveEntry();
        }
        return f;
    }

    @Test
    void layerImportLsInspectExportVerifyRm() throws Exception {
        String root = tmp.resolve("store").toString();
        Path tar = layerTar("hello", "hi");
        Run imp = run(new LayerCommand(), "import", tar.toString(), "--root", root);
        assertEquals(0, imp.code(), imp.err());
        String diffId = imp.lines().get(imp.lines().size() - 1);
        assertTrue(diffId.matches("sha256:[0-9a-f]{64}"), diffId);
        Run again = run(new LayerCommand(), "--root", root, "import", tar.toString());
        assertEquals(diffId, again.lines().get(0), "dedup: the same DiffID");
        Run ls = run(new LayerCommand(), "ls", "--root", root);
        assertEquals(1, ls.lines().size());
        assertTrue(ls.out().contains(diffId) && ls.out().contains("unused"), ls.out());
        Run inspect = run(new LayerCommand(), "inspect", diffId.substring(7, 15), "--root", root);
        assertTrue(inspect.out().contains("\"entries\" : 1"), inspect.out());
        assertEquals(0, run(new LayerCommand(), "verify", "--root", root).code());
        Path layerRoot = Path.of(root, "layers/sha256", diffId.substring(7), "root");
        Files.writeString(layerRoot.resolve("hello"), "tampered");
        Run bad = run(new LayerCommand(), "verify", "--root", root);
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("hello"), bad.err());
        Run rm = run(new LayerCommand(), "rm", diffId, "--root", root);
        assertEquals(0, rm.code(), rm.err());
        assertEquals("", run(new LayerCommand(), "ls", "--root", root).out());
    }

    @Test
    void refusedArchiveIsOneLineAndExitOne() throws Exception {
        Path evil = tmp.resolve("evil.tar");
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(Files.newOutputStream(evil))) {
            t.putArchiveEntry(new TarArchiveEntry("../../escape", true));
            t.closeArchiveEntry();
        }
        Run r = run(new LayerCommand(), "import", evil.toString(), "--root", tmp.resolve("s").toString());
        assertEquals(1, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("jovl: entry '../../escape': path traversal"), r.err());
    }

    @Test
    void exportOfAnUpperDirIsReproducible() throws Exception {
        Path upper = Files.createDirectories(tmp.resolve("upper/d"));
        Files.writeString(upper.resolve("f"), "x");
        Files.writeString(upper.resolve(".wh.old"), "");
        Run a = run(new LayerCommand(), "export", tmp.resolve("upper").toString(), "-o",
                tmp.resolve("a.tar.gz").toString(), "--gzip", "--source-date-epoch", "0");
        Run b = run(new LayerCommand(), "export", tmp.resolve("upper").toString(), "-o",
                tmp.resolve("b.tar.gz").toString(), "--gzip", "--source-date-epoch", "0");
        assertEquals(0, a.code(), a.err());
        assertEquals(a.out(), b.out());
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(tmp.resolve("a.tar.gz")),
                Files.readAllBytes(tmp.resolve("b.tar.gz"))));
    }
}
