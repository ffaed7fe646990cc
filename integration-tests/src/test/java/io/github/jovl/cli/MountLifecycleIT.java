package io.github.jovl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jovl.fuse.JovlCli;
import io.github.jovl.it.Mounts;
import io.github.jovl.it.Prereq;
import io.github.jovl.mount.FuseDaemons;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's life through the real launcher: `jovl mount` returns only when the mount is usable; `jovl
 * umount`, SIGTERM, and an unmount from outside (fusermount3 -u, umount) each leave no mount and no process;
 * a failed mount leaves nothing and says why.
 */
class MountLifecycleIT {
    private static final Duration EXIT = Duration.ofSeconds(15);

    @TempDir
    Path tmp;
    private Path mnt;
    private String options;
    private ProcessHandle daemon;
    private Process foreground;

    @BeforeEach
    void layers() throws Exception {
        JovlCli.require();
        Path lower = Files.createDirectories(tmp.resolve("lower"));
        Files.writeString(lower.resolve("hello"), "from the lower\n");
        Files.createDirectories(tmp.resolve("upper"));
        Files.createDirectories(tmp.resolve("work"));
        mnt = Files.createDirectories(tmp.resolve("mnt"));
        options = "lowerdir=" + lower + ",upperdir=" + tmp.resolve("upper") + ",workdir=" + tmp.resolve("work");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (foreground != null && foreground.isAlive()) {
            foreground.destroy();
            foreground.waitFor(10, TimeUnit.SECONDS);
            foreground.destroyForcibly();
        }
        JovlCli.cleanUp(mnt, daemon);
    }

    private void assertNothingLeft() throws Exception {
        assertTrue(JovlCli.awaitExit(daemon, EXIT), "the daemon exits");
        assertEquals(List.of(), Mounts.under(mnt), "no mount left");
        assertEquals(List.of(), FuseDaemons.serving(mnt.toRealPath()), "no process serves the mountpoint");
    }

    @Test
    void mountReturnsOnlyWhenUsableAndJovlUmountEndsTheDaemon() throws Exception {
        daemon = JovlCli.mount(options, mnt);
        // no waiting: the very first access after `jovl mount` returns must work
        assertEquals("from the lower\n", Files.readString(mnt.resolve("hello")));
        assertTrue(Mounts.under(mnt).contains(mnt.toString()));
        Files.writeString(mnt.resolve("new"), "x");

        JovlCli.Result r = JovlCli.run("umount", mnt.toString());
        assertEquals(0, r.code(), r.toString());
        assertEquals("", r.err());
        // jovl umount waits for the daemon, so its workdir lock is free and a new mount works at once
        assertTrue(FuseDaemons.exited(daemon), "jovl umount returned before the daemon exited");
        assertNothingLeft();
        assertEquals("x", Files.readString(tmp.resolve("upper/new")));
        daemon = JovlCli.mount(options, mnt);
        assertEquals("x", Files.readString(mnt.resolve("new")));
    }

    @Test
    void sigtermUnmountsAndExits() throws Exception {
        daemon = JovlCli.mount(options, mnt);
        assertTrue(daemon.destroy(), "SIGTERM sent");
        assertNothingLeft();
    }

    @Test
    void fusermountFromOutsideEndsTheDaemon() throws Exception {
        daemon = JovlCli.mount(options, mnt);
        Process p = new ProcessBuilder(Prereq.onPath("fusermount3") ? "fusermount3" : "fusermount", "-u",
                mnt.toString()).inheritIO().start();
        assertEquals(0, p.waitFor());
        assertNothingLeft();
    }

    @Test
    void umountFromOutsideEndsTheDaemon() throws Exception {
        Prereq.requireRoot();
        daemon = JovlCli.mount(options, mnt);
        Process p = new ProcessBuilder("umount", mnt.toString()).inheritIO().start();
        assertEquals(0, p.waitFor());
        assertNothingLeft();
    }

    @Test
    void aBusyMountIsRefusedThenLazilyDetached() throws Exception {
        daemon = JovlCli.mount(options, mnt);
        try (FileChannel open = FileChannel.open(mnt.resolve("hello"), StandardOpenOption.READ)) {
            JovlCli.Result r = JovlCli.run("umount", mnt.toString());
            assertEquals(1, r.code(), r.toString());
            assertTrue(r.err().startsWith("jovl: " + mnt + " is busy"), r.err());
            assertTrue(JovlCli.mounted(mnt));
            r = JovlCli.run("umount", "--lazy", mnt.toString());
            assertEquals(0, r.code(), r.toString());
            assertFalse(JovlCli.mounted(mnt), "detached at once");
            assertEquals(5, open.read(java.nio.ByteBuffer.allocate(5)), "the open file still reads");
        }
        assertNothingLeft();
    }

    @Test
    void aFailedMountLeavesNothingAndSaysWhy() throws Exception {
        String bad = options.replace(tmp.resolve("upper").toString(), tmp.resolve("missing").toString());
        JovlCli.Result r = JovlCli.run("mount", "--backend=fuse", "-o", bad, mnt.toString());
        assertEquals(1, r.code(), r.toString());
        assertEquals("jovl: upperdir " + tmp.resolve("missing") + " does not exist; create it or fix the path\n",
                r.err());
        assertEquals(List.of(), Mounts.under(mnt));
        assertEquals(List.of(), FuseDaemons.serving(mnt.toRealPath()));
        assertEquals(List.of(), daemonsNaming(mnt), "the daemon that failed has exited");

        r = JovlCli.run("mount", "--backend=fuse", "-o", options + ",index=on", mnt.toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("'index=on' is not supported"), r.err());

        r = JovlCli.run("mount", "--backend=fuse", "-o", options, tmp.resolve("nowhere").toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("does not exist"), r.err());
        assertEquals(List.of(), Mounts.under(tmp));
    }

    @Test
    void aSecondMountOfTheSameWorkdirFailsAndLeavesTheFirstAlone() throws Exception {
        daemon = JovlCli.mount(options, mnt);
        Path mnt2 = Files.createDirectories(tmp.resolve("mnt2"));
        try {
            JovlCli.Result r = JovlCli.run("mount", "--backend=fuse", "-o", options, mnt2.toString());
            assertEquals(1, r.code(), r.toString());
            assertTrue(r.err().contains("is in use by another jovl mount"), r.err());
            assertEquals(List.of(), Mounts.under(mnt2));
            assertEquals("from the lower\n", Files.readString(mnt.resolve("hello")));
        } finally {
            JovlCli.cleanUp(mnt2);
        }
    }

    @Test
    void foregroundServesUntilCtrlC() throws Exception {
        List<String> cmd = List.of(JovlCli.launcher().toString(), "mount", "--backend=fuse", "-f", "-o", options, mnt.toString());
        foreground = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("fg.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!JovlCli.mounted(mnt) && foreground.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(JovlCli.mounted(mnt), () -> "mounted in the foreground: " + log());
        daemon = foreground.toHandle();
        assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(foreground.pid())).start().waitFor());
        assertTrue(foreground.waitFor(15, TimeUnit.SECONDS), "Ctrl-C ends jovl mount -f");
        assertNothingLeft();
    }

    @Test
    void theFuseOverlayfsCommandFormMounts() throws Exception {
        // podman's mount_program form; auto may give it to the kernel (as root), which serves it with no daemon
        JovlCli.Result r = JovlCli.run("-o", options, mnt.toString());
        assertEquals(0, r.code(), r.toString());
        daemon = FuseDaemons.serving(mnt.toRealPath()).stream().findFirst().orElse(null);
        assertEquals("from the lower\n", Files.readString(mnt.resolve("hello")));
        assertEquals(0, JovlCli.run("umount", mnt.toString()).code());
    }

    private String log() {
        try {
            return Files.readString(tmp.resolve("fg.log"));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    /** Any process still naming the mountpoint (a failed daemon that did not exit would). */
    private static List<Long> daemonsNaming(Path mnt) {
        String m = mnt.toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(m)).orElse(false))
                .filter(p -> !FuseDaemons.exited(p)).map(ProcessHandle::pid).toList();
    }
}
