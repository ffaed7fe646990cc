package io.github.jovl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackgroundMountTest {
    @Test
    void theDaemonIsThisJvmAgainInTheForeground() {
        List<String> cmd = BackgroundMount.command(List.of("--backend=fuse", "-o", "lowerdir=/a:/b", "/mnt"),
                Path.of("/tmp/ready"));
        int main = cmd.indexOf(Main.class.getName());
        assertTrue(main > 0, cmd.toString());
        assertEquals(List.of("mount", "-f", "--ready-file=/tmp/ready", "--backend=fuse", "-o", "lowerdir=/a:/b",
                "/mnt"), cmd.subList(main + 1, cmd.size()));
        assertTrue(cmd.contains("-Dfile.encoding=UTF-8"), "names survive whatever the locale");
        String cp = cmd.get(cmd.indexOf("-cp") + 1);
        for (String part : cp.split(File.pathSeparator)) {
            assertTrue(Path.of(part).isAbsolute(), "the daemon runs in /, so the classpath is absolute: " + part);
        }
        assertTrue(cmd.stream().noneMatch(a -> a.startsWith("-agentlib:jdwp")), "no second debugger port");
    }

    @Test
    void optionsThatWriteClassDataStayWithThisJvm() {
        assertTrue(BackgroundMount.writesClassData("-XX:DumpLoadedClassList=/tmp/x.classlist"));
        assertTrue(BackgroundMount.writesClassData("-XX:ArchiveClassesAtExit=/tmp/x.jsa"));
        assertTrue(BackgroundMount.writesClassData("-Xshare:dump"));
        assertFalse(BackgroundMount.writesClassData("-XX:SharedArchiveFile=/opt/jovl/jovl.jsa"),
                "reading the archive is what makes the daemon start faster");
        assertFalse(BackgroundMount.writesClassData("-Xshare:auto"));
    }

    @Test
    void theDaemonIsFoundByItsReadyFileArgument() throws Exception {
        String arg = "--ready-file=/tmp/jovl-ready-test-" + System.nanoTime();
        // "; :" keeps the shell (and its arguments) alive instead of exec-ing sleep
        Process p = new ProcessBuilder("sh", "-c", "sleep 30; :", "sh", arg).start();
        try {
            assertEquals(p.pid(), BackgroundMount.withArgument(arg).orElseThrow().pid());
            assertTrue(BackgroundMount.withArgument(arg + "x").isEmpty(), "whole arguments only");
        } finally {
            p.destroyForcibly().waitFor();
        }
        assertTrue(BackgroundMount.withArgument(arg).isEmpty(), "gone");
    }
}
