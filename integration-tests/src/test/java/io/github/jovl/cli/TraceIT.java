package io.github.jovl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jovl.fuse.JovlCli;
import io.github.jovl.it.Mounts;
import io.github.jovl.it.Prereq;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `jovl mount --trace`: one line per semantic event, for people and as JSON, from a real daemon. */
class TraceIT {
    @TempDir
    Path tmp;

    @AfterEach
    void nothingLeft() throws Exception {
        assertEquals(List.of(), Mounts.detachAllUnder(tmp), "mounts left behind (now detached)");
    }

    private List<String> traceOf(String format) throws Exception {
        Prereq.requireRoot();
        JovlCli.require();
        Path base = Files.createDirectories(tmp.resolve(format));
        Path lower = Files.createDirectories(base.resolve("lower"));
        Files.writeString(lower.resolve("f"), "lower\n");
        Files.writeString(lower.resolve("gone"), "x\n");
        Files.createDirectories(lower.resolve("d"));
        Files.writeString(lower.resolve("d/x"), "x\n");
        Path mnt = Files.createDirectories(base.resolve("mnt"));
        Path trace = base.resolve("trace.log");
        String opts = "lowerdir=" + lower + ",upperdir=" + Files.createDirectories(base.resolve("up")) + ",workdir="
                + Files.createDirectories(base.resolve("work"));
        JovlCli.Result r = JovlCli.run("mount", "--trace=" + trace, "--trace-format=" + format, "-o", opts,
                mnt.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("kernel overlay not used: --trace follows jovl's own engine"), r.err());
        Files.writeString(mnt.resolve("f"), "more\n", java.nio.file.StandardOpenOption.APPEND);
        Files.delete(mnt.resolve("gone"));
        Files.delete(mnt.resolve("d/x"));
        Files.delete(mnt.resolve("d"));
        Files.createDirectory(mnt.resolve("d"));
        assertEquals(0, JovlCli.run("umount", mnt.toString()).code());
        return Files.readAllLines(trace);
    }

    @Test
    void textTraceSaysWhatHappenedInWords() throws Exception {
        List<String> t = traceOf("text");
        assertTrue(t.stream().anyMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} copy-up /f: copied up from"
                + " lower 1 .*: 6 bytes in [0-9.]+ ms")), String.join("\n", t));
        assertTrue(t.stream().anyMatch(l -> l.endsWith(" whiteout /gone: whiteout created (chardev)")), t.toString());
        assertTrue(t.stream().anyMatch(l -> l.endsWith(" opaque /d: directory made opaque (trusted.overlay.opaque=y)")),
                t.toString());
    }

    @Test
    void jsonTraceIsOneObjectPerLine() throws Exception {
        List<String> t = traceOf("json");
        assertTrue(t.stream().allMatch(l -> l.startsWith("{\"time\":") && l.endsWith("}")), t.toString());
        assertTrue(t.stream().anyMatch(l -> l.contains("\"event\":\"copy-up\",\"path\":\"/f\"")
                && l.contains("\"bytes\":6")), t.toString());
        assertTrue(t.stream().anyMatch(l -> l.contains("\"event\":\"whiteout\",\"path\":\"/gone\",\"form\":\"chardev\"")),
                t.toString());
    }
}
