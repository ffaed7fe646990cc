package io.github.jovl.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jovl.fuse.JovlCli;
import io.github.jovl.fuse.TreeSnapshot;
import io.github.jovl.it.Mounts;
import io.github.jovl.it.Prereq;
import io.github.jovl.mount.FuseDaemons;
import io.github.jovl.mount.MountTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `jovl mount` hands the job to the kernel where it can (as root here), falls back to FUSE with one line saying
 * why where it cannot (the probe switched off through JOVL_KERNEL_PROBE=fail), and the layers one backend writes
 * read the same through the other.
 */
class KernelBackendIT {
    private static final Map<String, String> NO_KERNEL = Map.of(KernelProbe.FAIL_ENV, "fail");
    private static final Duration T = Duration.ofSeconds(90);

    @TempDir
    Path tmp;
    private Path mnt;
    private String options;

    @BeforeEach
    void layers() throws Exception {
        Prereq.requireKernelOverlay();
        JovlCli.require();
        Path lower = Files.createDirectories(tmp.resolve("lower"));
        Files.writeString(lower.resolve("f"), "lower f\n");
        Files.writeString(lower.resolve("gone"), "to delete\n");
        Files.createDirectories(lower.resolve("d/sub"));
        Files.writeString(lower.resolve("d/sub/x"), "x\n");
        Files.createDirectories(tmp.resolve("upper"));
        Files.createDirectories(tmp.resolve("work"));
        mnt = Files.createDirectories(tmp.resolve("mnt"));
        options = "lowerdir=" + lower + ",upperdir=" + tmp.resolve("upper") + ",workdir=" + tmp.resolve("work");
    }

    @AfterEach
    void nothingLeft() throws Exception {
        assertEquals(List.of(), Mounts.detachAllUnder(tmp), "mounts left behind (now detached)");
    }

    private MountTable.Entry top() throws Exception {
        return MountTable.read().top(mnt.toRealPath());
    }

    @Test
    void autoMountsKernelOverlayfsWithNoDaemonAndUmountTakesItDown() throws Exception {
        JovlCli.Result r = JovlCli.run("mount", "-o", options, mnt.toString());
        assertEquals(0, r.code(), r.toString());
        assertEquals("", r.err(), "auto says nothing when it uses the kernel");
        assertEquals("overlay", top().fsType());
        assertEquals("jovl", top().source());
        assertEquals(List.of(), FuseDaemons.serving(mnt.toRealPath()), "the kernel serves it: no daemon");
        JovlCli.Result ls = JovlCli.run("mounts");
        assertTrue(ls.out().contains(mnt.toRealPath() + " kernel lowerdir="), ls.toString());
        assertEquals(0, JovlCli.run("umount", mnt.toString()).code());
        assertEquals(null, top());
        assertEquals("", JovlCli.run("mounts").out(), "the record goes with the mount");
    }

    @Test
    void withoutTheKernelAutoFallsBackToFuseAndSaysWhyInOneLine() throws Exception {
        JovlCli.Result r = JovlCli.run(NO_KERNEL, T, "mount", "-o", options, mnt.toString());
        assertEquals(0, r.code(), r.toString());
        assertEquals("jovl: kernel overlay not used: the kernel probe is switched off by JOVL_KERNEL_PROBE=fail;"
                + " using FUSE\n", r.err());
        assertEquals("fuse.jovl", top().fsType());
        assertEquals(0, JovlCli.run("umount", mnt.toString()).code());
    }

    @Test
    void backendKernelFailsWithTheReasonAndMountsNothing() throws Exception {
        JovlCli.Result r = JovlCli.run(NO_KERNEL, T, "mount", "--backend=kernel", "-o", options, mnt.toString());
        assertEquals(1, r.code(), r.toString());
        assertEquals("jovl: the kernel backend cannot do this mount: the kernel probe is switched off by"
                + " JOVL_KERNEL_PROBE=fail\n", r.err());
        assertEquals(null, top());
    }

    @Test
    void anOptionOnlyFuseHasForcesFuseWithTheReason() throws Exception {
        JovlCli.Result r = JovlCli.run("mount", "-o", options + ",whiteout=whfile", mnt.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("kernel overlay not used: whiteout=whfile"), r.err());
        assertEquals("fuse.jovl", top().fsType());
        assertEquals(0, JovlCli.run("umount", mnt.toString()).code());
    }

    @Test
    void whatTheKernelWritesFuseReadsTheSame() throws Exception {
        assertEquals(0, JovlCli.run("mount", "--backend=kernel", "-o", options, mnt.toString()).code());
        changeThroughTheMount();
        TreeSnapshot kernel = TreeSnapshot.of(mnt, Set.of());
        assertEquals(0, JovlCli.run("umount", mnt.toString()).code());
        assertEquals(0, JovlCli.run("mount", "--backend=fuse", "-o", options, mnt.toString()).code());
        TreeSnapshot fuse = TreeSnapshot.of(mnt, Set.of());
        assertEquals(0, JovlCli.run("umount", mnt.toString()).code());
        assertEquals(List.of(), kernel.diff(fuse));
        assertEquals(5, kernel.size(), "., f, d, d/sub, d/sub/new and nothing else: the changes are seen");
    }

    @Test
    void whatFuseWritesTheKernelReadsTheSame() throws Exception {
        assertEquals(0, JovlCli.run("mount", "--backend=fuse", "-o", options, mnt.toString()).code());
        changeThroughTheMount();
        TreeSnapshot fuse = TreeSnapshot.of(mnt, Set.of());
        assertEquals(0, JovlCli.run("umount", mnt.toString()).code());
        assertEquals(0, JovlCli.run("mount", "--backend=kernel", "-o", options, mnt.toString()).code());
        TreeSnapshot kernel = TreeSnapshot.of(mnt, Set.of());
        assertEquals(0, JovlCli.run("umount", mnt.toString()).code());
        assertEquals(List.of(), fuse.diff(kernel));
        assertEquals(5, fuse.size(), "., f, d, d/sub, d/sub/new and nothing else: the changes are seen");
    }

    /** A copy-up, a whiteout, an opaque directory and a new file: every marker kind. */
    private void changeThroughTheMount() throws Exception {
        Files.writeString(mnt.resolve("f"), "changed\n", java.nio.file.StandardOpenOption.APPEND);
        Files.delete(mnt.resolve("gone"));
        Files.delete(mnt.resolve("d/sub/x"));
        Files.delete(mnt.resolve("d/sub"));
        Files.createDirectory(mnt.resolve("d/sub"));
        Files.writeString(mnt.resolve("d/sub/new"), "new\n");
    }
}
