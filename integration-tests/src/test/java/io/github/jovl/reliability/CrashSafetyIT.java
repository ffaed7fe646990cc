package io.github.jovl.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jovl.fuse.JovlCli;
import io.github.jovl.it.Mounts;
import io.github.jovl.it.Prereq;
import io.github.jovl.mount.FuseDaemons;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, crash safety: the FUSE daemon is killed with SIGKILL in the middle of work, the dead mount is
 * detached, and the same layers are mounted again. Two kinds of work alternate: a copy-up of a 200 MiB lower file
 * (one byte appended to it by a separate process), and a shell renaming and deleting lower files one by one (each
 * a copy-up or a whiteout built in the workdir and renamed into place). The kill comes after a delay that varies
 * from 5 to 400 ms. After the restart: every file is entirely old or entirely new, the upper holds no partial file
 * and no temporary, workdir/work is empty (the engine cleans it at start), and at the end the lower is
 * byte-for-byte what it was.
 */
class CrashSafetyIT {
    private static final long BIG = 200L << 20;
    private static final int FILES = 200;
    /**
     * Kill delays in ms, one round each. The copy-up of 200 MiB (data, fsync, rename) takes a few hundred ms
     * here, so its delays reach past that to also kill after the copy landed; -1: kill only after the writer has
     * finished, where the append must survive the crash (15 crashes in all).
     */
    private static final int[] COPY_UP_DELAYS_MS = {5, 50, 150, 300, 400, 500, 600, 1500, -1};
    private static final int[] RENAME_DELAYS_MS = {5, 40, 90, 160, 260, 400};

    @TempDir
    Path tmp;
    private Path mnt;
    private final List<ProcessHandle> ours = new ArrayList<>();
    private final List<Process> jobs = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : jobs) {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        Mounts.detachAllUnder(tmp);
        for (ProcessHandle d : ours) { // only daemons this test started, by PID
            if (!FuseDaemons.exited(d)) {
                d.destroyForcibly();
                FuseDaemons.awaitExit(List.of(d), 10_000);
            }
        }
    }

    @Test
    void killingTheDaemonMidWorkLeavesOldOrNewNeverPartial() throws Exception {
        Prereq.requireRoot();
        JovlCli.require();
        long t0 = System.nanoTime();
        Path lower = Files.createDirectories(tmp.resolve("lower"));
        writeBig(lower.resolve("big"));
        Files.createDirectories(lower.resolve("many"));
        for (int i = 0; i < FILES; i++) {
            Files.writeString(lower.resolve("many/n" + i), content(i));
        }
        String lowerBefore = TreeHash.of(lower);
        String bigOld = TreeHash.file(lower.resolve("big"));
        String bigNew = TreeHash.file(lower.resolve("big"), (byte) 'x');
        mnt = Files.createDirectories(tmp.resolve("mnt"));
        Path upper = tmp.resolve("upper");
        Path work = tmp.resolve("work");
        String options = "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work;

        int crashes = 0;
        int debris = 0;
        int bigNewSeen = 0;
        int bigUpperSeen = 0;
        int copyUps = 0;
        int renames = 0;
        for (int round = 0; round < COPY_UP_DELAYS_MS.length + RENAME_DELAYS_MS.length; round++) {
            // alternate the two kinds of work while both have rounds left
            boolean copyUp = renames == RENAME_DELAYS_MS.length
                    || round % 2 == 0 && copyUps < COPY_UP_DELAYS_MS.length;
            int delay = copyUp ? COPY_UP_DELAYS_MS[copyUps++] : RENAME_DELAYS_MS[renames++];
            // a fresh upper each round, so every copy-up round copies the lower file again
            deleteTree(upper);
            deleteTree(work);
            Files.createDirectories(upper);
            Files.createDirectories(work);

            ProcessHandle daemon = JovlCli.mount(options, mnt);
            ours.add(daemon);
            String script = copyUp ? "printf x >> " + mnt + "/big"
                    : "cd " + mnt + "/many && i=0; while [ $i -lt " + FILES + " ]; do if [ $((i % 2)) -eq 0 ];"
                    + " then mv n$i r$i; else rm n$i; fi; i=$((i + 1)); done";
            Process job = new ProcessBuilder("sh", "-c", script).redirectInput(new File("/dev/null"))
                    .redirectOutput(new File("/dev/null")).redirectError(new File("/dev/null")).start();
            jobs.add(job);
            if (delay >= 0) {
                Thread.sleep(delay);
            } else {
                assertTrue(job.waitFor(60, TimeUnit.SECONDS), "the append finishes");
                assertEquals(0, job.exitValue(), "the append succeeds on a live mount");
            }
            boolean jobStillRunning = job.isAlive();
            daemon.destroyForcibly(); // SIGKILL: no shutdown hook, no unmount, nothing flushed by the daemon
            assertTrue(FuseDaemons.awaitExit(List.of(daemon), 15_000), "the killed daemon is gone");
            crashes++;
            // the dead daemon's connection is aborted: the writer gets ENOTCONN and ends
            if (!job.waitFor(30, TimeUnit.SECONDS)) {
                job.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            List<String> left = list(work.resolve("work"));
            if (!left.isEmpty()) {
                debris++;
            }
            Mounts.detachAllUnder(mnt); // the dead mount, as fusermount3 -u -z would

            ProcessHandle again = JovlCli.mount(options, mnt);
            ours.add(again);
            assertEquals(List.of(), list(work.resolve("work")),
                    "round " + round + ": workdir/work is emptied at start (the crash left " + left + ")");
            String state;
            if (copyUp) {
                Path merged = mnt.resolve("big");
                long size = Files.size(merged);
                String hash = TreeHash.file(merged);
                assertTrue(size == BIG && hash.equals(bigOld) || size == BIG + 1 && hash.equals(bigNew),
                        "round " + round + ": big is entirely old or entirely new (size " + size + ")");
                if (Files.exists(upper.resolve("big"), LinkOption.NOFOLLOW_LINKS)) {
                    long us = Files.size(upper.resolve("big"));
                    assertTrue(us == BIG || us == BIG + 1, "round " + round + ": the upper's big is complete ("
                            + us + " bytes)");
                    bigUpperSeen++;
                }
                bigNewSeen += size == BIG + 1 ? 1 : 0;
                if (delay < 0) {
                    // the write had returned before the kill: the daemon writes through to the upper, so a
                    // crash of the daemon (not of the machine) must not lose it
                    assertEquals(bigNew, hash, "round " + round + ": a completed append survives the crash");
                }
                assertTrue(Set.of("big").containsAll(upperNames(upper, "")),
                        "round " + round + ": nothing but big in the upper: " + upperNames(upper, ""));
                state = (size == BIG + 1 ? "new" : "old") + (Files.exists(upper.resolve("big")) ? ", copied up"
                        : ", not copied up");
            } else {
                state = checkRenames(upper, round);
            }
            System.out.printf("CrashSafetyIT round %d: %s, SIGKILL %s (writer %s), workdir debris %s"
                    + " -> %s%n", round, copyUp ? "copy-up of big" : "renames/unlinks",
                    delay < 0 ? "after the writer finished" : "after " + delay + " ms",
                    jobStillRunning ? "running" : "already done", left.size(), state);

            JovlCli.Result r = JovlCli.run("umount", mnt.toString());
            assertEquals(0, r.code(), r.toString());
            assertTrue(FuseDaemons.awaitExit(List.of(again), 15_000), "the remounted daemon exits on umount");
        }
        assertEquals(lowerBefore, TreeHash.of(lower), "the lower is byte-for-byte unchanged");
        System.out.printf("CrashSafetyIT: %d crash iterations (%d left debris in workdir/work, big copied up in %d,"
                + " appended in %d) in %d s%n", crashes, debris, bigUpperSeen, bigNewSeen,
                (System.nanoTime() - t0) / 1_000_000_000L);
    }

    /** After a crash among renames (even i: nI -> rI) and unlinks (odd i): each file whole, at one name. */
    private String checkRenames(Path upper, int round) throws Exception {
        Path many = mnt.resolve("many");
        Set<String> listed = new TreeSet<>(list(many));
        int renamed = 0;
        int removed = 0;
        for (String n : listed) {
            assertTrue(n.matches("[nr][0-9]+"), "round " + round + ": unexpected name in the merged view: " + n);
            assertTrue(Files.isRegularFile(many.resolve(n), LinkOption.NOFOLLOW_LINKS),
                    "round " + round + ": listed " + n + " is a regular file (no marker shows)");
        }
        for (int i = 0; i < FILES; i++) {
            boolean n = Files.exists(many.resolve("n" + i), LinkOption.NOFOLLOW_LINKS);
            boolean r = Files.exists(many.resolve("r" + i), LinkOption.NOFOLLOW_LINKS);
            assertEquals(n, listed.contains("n" + i), "round " + round + ": readdir and lookup agree on n" + i);
            assertEquals(r, listed.contains("r" + i), "round " + round + ": readdir and lookup agree on r" + i);
            if (i % 2 == 0) {
                assertTrue(n ^ r, "round " + round + ": file " + i + " is at exactly one of n" + i + ", r" + i);
                String at = n ? "n" + i : "r" + i;
                assertEquals(content(i), Files.readString(many.resolve(at)), "round " + round + ": " + at);
                renamed += r ? 1 : 0;
            } else {
                assertTrue(!r, "round " + round + ": r" + i + " never made");
                if (n) {
                    assertEquals(content(i), Files.readString(many.resolve("n" + i)), "round " + round);
                } else {
                    removed++;
                }
            }
        }
        // the upper: only names of this work (whiteouts at nI, copies at rI), every copy complete
        for (String u : upperNames(upper, "many")) {
            assertTrue(u.matches("[nr][0-9]+"), "round " + round + ": unexpected name in the upper: many/" + u);
            Path p = upper.resolve("many").resolve(u);
            if (u.startsWith("r")) {
                assertEquals(content(Integer.parseInt(u.substring(1))), Files.readString(p),
                        "round " + round + ": the upper's many/" + u + " is complete");
            }
        }
        return renamed + " renamed, " + removed + " removed";
    }

    private static String content(int i) {
        return "content of file " + i + "\n";
    }

    /** 200 MiB that differ block by block, so a misplaced block would change the hash. */
    private static void writeBig(Path p) throws Exception {
        byte[] block = new byte[1 << 20];
        new Random(8).nextBytes(block);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long b = 0; b < BIG >> 20; b++) {
                ByteBuffer.wrap(block).putLong(0, b);
                ch.write(ByteBuffer.wrap(block));
            }
        }
    }

    private static Set<String> upperNames(Path upper, String dir) throws Exception {
        Set<String> out = new TreeSet<>(list(dir.isEmpty() ? upper : upper.resolve(dir)));
        if (dir.isEmpty()) {
            out.remove("many"); // copied up as the parent of its files
        }
        return out;
    }

    private static List<String> list(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void deleteTree(Path p) throws Exception {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
