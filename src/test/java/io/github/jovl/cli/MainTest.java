package io.github.jovl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jovl.config.MountOptionException;
import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FsException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line without mounting: parsing, help, exit codes and messages. */
class MainTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true), new PrintStream(err, true));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void versionAndHelp() {
        assertEquals(0, run("--version"));
        assertTrue(out().startsWith("jovl "), out());
        assertEquals(0, run("mount", "--help"));
        assertTrue(out().contains("lowerdir=L1:L2") && out().contains("Exit status"), out());
        assertEquals(0, run("umount", "--help"));
        assertTrue(out().contains("--lazy"), out());
        assertEquals(0, run("help", "mount"));
    }

    @Test
    void noCommandIsAUsageError() {
        assertEquals(2, run());
        assertTrue(err().contains("a command is missing"), err());
    }

    @Test
    void aBadMountOptionIsOneLineAndExitTwo() {
        assertEquals(2, run("mount", "-f", "-o", "lowerdir=/a,upperdir=/u,workdir=/w,index=on", "/mnt"));
        assertEquals("jovl: mount option 'index=on' is not supported: index is not implemented\n", err());
    }

    @Test
    void anUnknownBackendIsAUsageError() {
        assertEquals(2, run("mount", "-f", "--backend=nfs", "-o", "lowerdir=/a:/b", "/mnt"));
        assertTrue(err().contains("unknown backend 'nfs'; use --backend=auto, kernel or fuse"), err());
        assertTrue(!err().contains("\tat "), "no stack trace without --stacktrace");
    }

    @Test
    void aFailedForegroundMountSaysWhyAndExitsOne() throws Exception {
        Path mnt = Files.createDirectories(tmp.resolve("mnt"));
        assertEquals(1, run("mount", "-f", "-o", "lowerdir=" + tmp.resolve("nope") + ":" + tmp, mnt.toString()));
        assertTrue(err().startsWith("jovl: lowerdir " + tmp.resolve("nope") + " does not exist"), err());
        assertEquals(1, err().split("\n").length, err());
    }

    @Test
    void stacktraceOnRequest() throws Exception {
        Path mnt = Files.createDirectories(tmp.resolve("mnt"));
        assertEquals(1, run("mount", "-f", "--stacktrace", "-o", "lowerdir=" + tmp.resolve("nope") + ":" + tmp,
                mnt.toString()));
        assertTrue(err().contains("\tat io.github.jovl."), err());
    }

    @Test
    void umountOfSomethingNotMounted() {
        assertEquals(1, run("umount", tmp.toString()));
        assertEquals("jovl: " + tmp + " is not mounted\n", err());
    }

    @Test
    void theFuseOverlayfsFormMeansMount() {
        assertArrayEquals(new String[] {"mount", "-o", "x", "/m"}, Main.fuseOverlayfsForm(new String[] {"-o", "x", "/m"}));
        assertArrayEquals(new String[] {"mount", "-ox", "/m"}, Main.fuseOverlayfsForm(new String[] {"-ox", "/m"}));
        assertArrayEquals(new String[] {"umount", "/m"}, Main.fuseOverlayfsForm(new String[] {"umount", "/m"}));
    }

    @Test
    void aCommandRunsWithOnlyItsOwnModelBuilt() {
        assertEquals(java.util.Set.of("mount"), Main.commandLine(new String[] {"mount", "-o", "x", "/m"})
                .getSubcommands().keySet(), "the others' picocli models cost start-up time");
        assertEquals(java.util.Set.of("umount", "unmount"), Main.commandLine(new String[] {"unmount", "/m"})
                .getSubcommands().keySet(), "an alias finds its command");
        java.util.Set<String> all = java.util.Set.of("mount", "umount", "unmount", "mounts", "probe", "demo",
                "explain", "diff", "layer", "image", "commit", "help");
        for (String[] argv : new String[][] {{}, {"--help"}, {"help", "mount"}, {"--stacktrace", "mount"},
            {"mout"}}) {
            assertEquals(all, Main.commandLine(argv).getSubcommands().keySet(), String.join(" ", argv));
        }
        assertEquals(2, run("mout", "-o", "x", "/m"));
        assertTrue(err().startsWith("jovl: Unmatched arguments from index 0: 'mout'"), err());
    }

    @Test
    void exitCodesComeFromOneTable() {
        assertEquals(2, ExitCodes.of(new MountOptionException("x")));
        assertEquals(2, ExitCodes.of(new ExitCodes.UsageException("x")));
        assertEquals(1, ExitCodes.of(FsException.of(Errno.EBUSY, "/m")));
        assertEquals(1, ExitCodes.of(new IllegalStateException("bug")));
        assertTrue(ExitCodes.message(new IllegalStateException("bug")).contains("--stacktrace"));
    }
}
