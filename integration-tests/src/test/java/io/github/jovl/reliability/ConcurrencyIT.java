package io.github.jovl.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.jovl.config.MountOptions;
import io.github.jovl.config.OverlayConfig;
import io.github.jovl.fs.DirEntry;
import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FileType;
import io.github.jovl.fs.FsException;
import io.github.jovl.fs.RelPath;
import io.github.jovl.fs.Stat;
import io.github.jovl.it.Mounts;
import io.github.jovl.it.Prereq;
import io.github.jovl.mount.Backend;
import io.github.jovl.mount.MountHandle;
import io.github.jovl.mount.MountSettings;
import io.github.jovl.mount.Mounter;
import io.github.jovl.union.Overlay;
import io.github.jovl.union.OverlayEvents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, concurrency: THREADS threads run seeded random operations on overlapping names against one overlay,
 * once on the engine directly and once through a real multi-threaded FUSE mount (so the kernel sends requests
 * concurrently). The races: every thread opening the same lower file for write at one instant (the copy-up must
 * happen once and carry the lower's data), renames of lower files against readdir of their directory, create
 * against unlink of the same names, mkdir/rmdir/rename of directories against files being created in them.
 * Every error must be one the kernel could give for that operation; at the end the view must be consistent
 * (readdir agrees with getattr, no marker visible, the expected invariants of each group hold), the workdir
 * must be empty and the lower byte-identical. A 60 s limit turns a deadlock into a failure with thread dumps.
 */
class ConcurrencyIT {
    private static final int THREADS = 8;
    private static final int COPY_UP_FILES = 6;
    private static final int COPY_UP_SIZE = 256 << 10;
    private static final int PAIRS = 8; // r/aI <-> r/bI
    private static final int NAMES = 8; // c/xK, of which the first 4 are in the lower
    private static final int DIRS = 6; // m/dK: d0 lower and empty, d1 lower with a file, the rest absent
    private static final long DEADLOCK_LIMIT_S = 60;

    @TempDir
    Path tmp;
    private Path lower;
    private Path upper;
    private Path work;
    private MountHandle mount;

    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final AtomicLong ops = new AtomicLong();

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            mount.close();
        }
        List<String> left = Mounts.detachAllUnder(tmp);
        assertEquals(List.of(), left, "a mount was left behind");
    }

    /** The engine needs no host capability: it runs everywhere, as root or not. */
    @Test
    void engineUnderConcurrentOperations() throws Exception {
        layers();
        String before = TreeHash.of(lower);
        CopyUpCounter events = new CopyUpCounter();
        try (Overlay o = Overlay.open(OverlayConfig.builder().lower(lower).upper(upper).work(work).build(),
                events)) {
            FsOps fs = FsOps.engine(o);
            long[] inoBefore = new long[COPY_UP_FILES];
            for (int f = 0; f < COPY_UP_FILES; f++) {
                inoBefore[f] = fs.stat("cu/f" + f).ino();
            }
            long t0 = System.nanoTime();
            run(fs, events, 3000, true);
            report(fs, t0);
            for (int f = 0; f < COPY_UP_FILES; f++) {
                // st_ino is kept across copy-up (README: getattr); a racing double copy-up would lose it
                assertEquals(inoBefore[f], fs.stat("cu/f" + f).ino(), "st_ino of cu/f" + f + " after copy-up");
            }
        }
        assertEquals(before, TreeHash.of(lower), "the lower is byte-identical");
    }

    @Test
    void fuseMountUnderConcurrentOperations() throws Exception {
        Prereq.requireRoot();
        Prereq.requireFuse();
        layers();
        String before = TreeHash.of(lower);
        Path mnt = Files.createDirectories(tmp.resolve("mnt"));
        CopyUpCounter events = new CopyUpCounter();
        // singleThreaded=false: libfuse's worker pool, so the kernel's requests reach the engine concurrently
        mount = Mounter.mount(Backend.FUSE, MountOptions.parse(List.of("lowerdir=" + lower + ",upperdir=" + upper
                + ",workdir=" + work)), mnt, new MountSettings(false, false, Duration.ofSeconds(30), System.err,
                events));
        FsOps fs = FsOps.mounted(mnt);
        long t0 = System.nanoTime();
        run(fs, events, 400, false);
        report(fs, t0);
        Map<String, String> seen = snapshot(fs, "");
        mount.close();
        mount = null;
        // what the mount left on disk reads the same through a fresh engine (nothing only the daemon knew)
        try (Overlay o = Overlay.open(OverlayConfig.builder().lower(lower).upper(upper).work(work).build())) {
            assertEquals(seen, snapshot(FsOps.engine(o), ""), "the layers after unmount show the same tree");
        }
        assertEquals(before, TreeHash.of(lower), "the lower is byte-identical");
    }

    private void report(FsOps fs, long t0) {
        System.out.printf("ConcurrencyIT[%s]: %d threads, %d operations in %d ms; outcomes %s%n", fs.name(),
                THREADS, ops.get(), (System.nanoTime() - t0) / 1_000_000, new TreeMap<>(counts));
    }

    private void layers() throws Exception {
        lower = Files.createDirectories(tmp.resolve("lower"));
        upper = Files.createDirectories(tmp.resolve("upper"));
        work = Files.createDirectories(tmp.resolve("work"));
        Random r = new Random(8);
        Files.createDirectories(lower.resolve("cu"));
        for (int f = 0; f < COPY_UP_FILES; f++) {
            byte[] data = new byte[COPY_UP_SIZE];
            r.nextBytes(data);
            Files.write(lower.resolve("cu/f" + f), data);
        }
        Files.createDirectories(lower.resolve("r"));
        for (int i = 0; i < PAIRS; i++) {
            Files.writeString(lower.resolve("r/a" + i), "a" + i);
        }
        Files.createDirectories(lower.resolve("c"));
        for (int k = 0; k < NAMES / 2; k++) {
            Files.writeString(lower.resolve("c/x" + k), "l" + k);
        }
        Files.createDirectories(lower.resolve("m/d0"));
        Files.createDirectories(lower.resolve("m/d1"));
        Files.writeString(lower.resolve("m/d1/f"), "f1");
    }

    /** Phase 1: the copy-up race, one barrier per file. Phase 2: random operations. Then the final checks. */
    private void run(FsOps fs, CopyUpCounter events, int opsPerThread, boolean engine) throws Exception {
        byte[][] lowerData = new byte[COPY_UP_FILES][];
        for (int f = 0; f < COPY_UP_FILES; f++) {
            lowerData[f] = Files.readAllBytes(lower.resolve("cu/f" + f));
        }
        CyclicBarrier barrier = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "ovl-race");
            t.setDaemon(true); // a deadlocked worker must not keep the test JVM alive
            return t;
        });
        List<Thread> workers = new java.util.concurrent.CopyOnWriteArrayList<>();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                done.add(pool.submit(() -> {
                    workers.add(Thread.currentThread());
                    for (int f = 0; f < COPY_UP_FILES; f++) {
                        barrier.await(DEADLOCK_LIMIT_S, TimeUnit.SECONDS);
                        copyUpRace(fs, "cu/f" + f, lowerData[f]);
                    }
                    Random rnd = new Random(1000L * id + (engine ? 1 : 2));
                    for (int i = 0; i < opsPerThread; i++) {
                        step(fs, rnd, engine);
                    }
                    return null;
                }));
            }
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLOCK_LIMIT_S);
            for (Future<?> f : done) {
                try {
                    f.get(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    StringBuilder dump = new StringBuilder();
                    for (Thread w : workers) {
                        dump.append(w.getName()).append(' ').append(w.getState()).append('\n');
                        for (StackTraceElement s : w.getStackTrace()) {
                            dump.append("    at ").append(s).append('\n');
                        }
                    }
                    fail("no progress in " + DEADLOCK_LIMIT_S + " s (deadlock?) after " + ops.get()
                            + " operations:\n" + dump);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertNoFailures();

        for (int f = 0; f < COPY_UP_FILES; f++) {
            assertEquals(1, events.count("cu/f" + f), "cu/f" + f + " is copied up exactly once");
            assertArrayEquals(lowerData[f], Files.readAllBytes(upper.resolve("cu/f" + f)),
                    "the upper copy of cu/f" + f + " is the lower's data, once");
        }
        finalState(fs);
        assertNoFailures();
        try (var w = Files.list(work.resolve("work"))) {
            assertEquals(List.of(), w.map(p -> p.getFileName().toString()).toList(), "workdir/work is empty");
        }
        try (var u = Files.walk(upper)) {
            assertEquals(List.of(), u.filter(p -> p.getFileName().toString().startsWith("#jovl")).toList(),
                    "no copy-up temporary reached the upper");
        }
    }

    private static String sha256(byte[] data) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every path below dir with its type, and a regular file's data: a whole-tree picture to compare. */
    private static Map<String, String> snapshot(FsOps fs, String dir) throws FsException {
        Map<String, String> out = new TreeMap<>();
        for (DirEntry e : fs.entries(dir)) {
            String p = dir.isEmpty() ? e.name() : dir + "/" + e.name();
            Stat st = fs.stat(p);
            if (st.isDir()) {
                out.put(p, "dir");
                out.putAll(snapshot(fs, p));
            } else {
                out.put(p, st.type() + " " + sha256(fs.readAll(p)));
            }
        }
        return out;
    }

    private void assertNoFailures() {
        if (!failures.isEmpty()) {
            List<String> first = failures.stream().limit(30).toList();
            fail(failures.size() + " failure(s), first ones:\n" + String.join("\n", first));
        }
    }

    /** Every thread opens the same lower file for read-write at once, reads it whole and compares. */
    private void copyUpRace(FsOps fs, String p, byte[] expected) {
        ops.incrementAndGet();
        try {
            long h = fs.open(p, FsOps.O_RDWR);
            try {
                // one byte more than expected: a copy-up done twice (appended) would show as extra data
                byte[] got = new byte[expected.length + 1];
                byte[] chunk = new byte[1 << 16];
                int n = 0;
                int r;
                // fs.read fills its buffer from index 0 (pread semantics), so read in chunks and place them
                while (n < got.length && (r = fs.read(h, chunk, Math.min(chunk.length, got.length - n), n)) > 0) {
                    System.arraycopy(chunk, 0, got, n, r);
                    n += r;
                }
                if (n != expected.length || !java.util.Arrays.equals(expected, 0, n, got, 0, n)) {
                    failures.add("copy-up race: " + p + " read " + n + " bytes through a write handle, not the "
                            + expected.length + " bytes of the lower");
                }
            } finally {
                fs.close(h);
            }
            count("open-rw", null);
        } catch (FsException e) {
            failures.add("copy-up race: open(" + p + ", O_RDWR) failed with " + e.errno() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            failures.add("copy-up race: open(" + p + ") threw " + e);
        }
    }

    private void count(String op, Errno e) {
        counts.computeIfAbsent(e == null ? op + ":ok" : op + ":" + e, k -> new AtomicLong()).incrementAndGet();
    }

    @FunctionalInterface
    private interface Op {
        void run() throws FsException;
    }

    /** Runs one operation; an errno outside allowed (or any other exception) is recorded as a failure. */
    private void attempt(String op, String what, Set<Errno> allowed, Op body) {
        ops.incrementAndGet();
        try {
            body.run();
            count(op, null);
        } catch (FsException e) {
            count(op, e.errno());
            if (!allowed.contains(e.errno())) {
                failures.add(op + " " + what + ": " + e.errno() + " is not an error the kernel gives here ("
                        + e.getMessage() + ")");
            }
        } catch (RuntimeException | AssertionError e) {
            failures.add(op + " " + what + ": unexpected " + e);
        }
    }

    private static Set<Errno> errs(Errno... e) {
        return e.length == 0 ? EnumSet.noneOf(Errno.class) : EnumSet.of(e[0], e);
    }

    private void step(FsOps fs, Random rnd, boolean engine) {
        int i = rnd.nextInt(PAIRS);
        int k = rnd.nextInt(NAMES);
        int d = rnd.nextInt(DIRS);
        switch (rnd.nextInt(14)) {
            case 0, 1 -> attempt("rename-file", "r/a" + i + "<->r/b" + i, errs(Errno.ENOENT), () -> {
                // only one of aI and bI exists at any time: whichever thread moves it, the others find nothing
                if (rnd.nextBoolean()) {
                    fs.rename("r/a" + i, "r/b" + i);
                } else {
                    fs.rename("r/b" + i, "r/a" + i);
                }
            });
            case 2, 3 -> attempt("readdir", "r", errs(), () -> checkPairs(fs.entries("r")));
            case 4 -> attempt("chmod", "r/a" + i, errs(Errno.ENOENT), () -> fs.chmod("r/a" + i, 0640));
            case 5, 6 -> {
                boolean excl = rnd.nextBoolean();
                // through FUSE the kernel looks the name up first and, finding it, sends OPEN instead of CREATE:
                // an unlink in between makes that OPEN fail with ENOENT (the engine does both under one lock)
                Set<Errno> ok = excl ? errs(Errno.EEXIST) : engine ? errs() : errs(Errno.ENOENT);
                attempt("create", "c/x" + k, ok, () -> writeNew(fs, "c/x" + k, excl, "t" + k));
            }
            case 7 -> attempt("unlink", "c/x" + k, errs(Errno.ENOENT), () -> fs.unlink("c/x" + k));
            case 8 -> attempt("read", "c/x" + k, errs(Errno.ENOENT), () -> {
                byte[] b = fs.readAll("c/x" + k);
                String s = new String(b, StandardCharsets.UTF_8);
                // a reader sees the lower's data, or a created file empty or with its one write (not yet done)
                if (!(s.equals("l" + k) || s.equals("t" + k) || s.isEmpty())) {
                    failures.add("read c/x" + k + ": torn content '" + s + "'");
                }
            });
            case 9 -> attempt("mkdir", "m/d" + d, errs(Errno.EEXIST), () -> fs.mkdir("m/d" + d, 0755));
            case 10 -> attempt("rmdir", "m/d" + d, errs(Errno.ENOENT, Errno.ENOTEMPTY), () -> fs.rmdir("m/d" + d));
            case 11 -> {
                boolean excl = rnd.nextBoolean();
                Set<Errno> ok = excl ? errs(Errno.EEXIST, Errno.ENOENT) : errs(Errno.ENOENT);
                if (rnd.nextBoolean()) {
                    attempt("create-in-dir", "m/d" + d + "/f", ok, () -> writeNew(fs, "m/d" + d + "/f", excl,
                            "f" + d));
                } else {
                    attempt("unlink-in-dir", "m/d" + d + "/f", errs(Errno.ENOENT), () -> fs.unlink("m/d" + d
                            + "/f"));
                }
            }
            case 12 -> {
                int to = rnd.nextInt(DIRS);
                // EXDEV: a directory a lower has cannot be renamed (no redirect_dir); ENOTEMPTY: the target
                // holds a file; ENOENT: the source is gone. A directory onto itself is a successful no-op.
                attempt("rename-dir", "m/d" + d + "->m/d" + to, errs(Errno.ENOENT, Errno.EXDEV, Errno.ENOTEMPTY),
                        () -> fs.rename("m/d" + d, "m/d" + to));
            }
            default -> attempt("readdir", "m", errs(), () -> {
                for (DirEntry e : fs.entries("m")) {
                    if (!e.name().matches("d[0-9]+") || e.type() != FileType.DIRECTORY) {
                        failures.add("readdir m: unexpected entry " + e);
                    }
                }
                for (DirEntry e : fs.entries("c")) {
                    if (!e.name().matches("x[0-9]+") || e.type() != FileType.REGULAR) {
                        failures.add("readdir c: unexpected entry " + e);
                    }
                }
            });
        }
    }

    /** Creates (or, without O_EXCL, opens) p for writing and writes its two bytes at offset 0. */
    private static void writeNew(FsOps fs, String p, boolean excl, String data) throws FsException {
        long h = fs.create(p, FsOps.O_WRONLY | (excl ? FsOps.O_EXCL : 0), 0644);
        try {
            byte[] b = data.getBytes(StandardCharsets.UTF_8);
            int n = fs.write(h, b, b.length, 0);
            if (n != b.length) {
                throw new AssertionError("short write to " + p + ": " + n);
            }
        } finally {
            fs.close(h);
        }
    }

    /** A listing of r taken while renames run: each pair shows exactly one name, and nothing else shows. */
    private void checkPairs(List<DirEntry> es) {
        Set<String> names = new TreeSet<>();
        for (DirEntry e : es) {
            names.add(e.name());
            if (!e.name().matches("[ab][0-9]+") || e.type() != FileType.REGULAR) {
                failures.add("readdir r: unexpected entry " + e + " in " + names);
            }
        }
        for (int i = 0; i < PAIRS; i++) {
            // readdir is one snapshot under the engine's read lock (and one libfuse fill through FUSE), and a
            // rename is atomic: a listing with both names or neither would be a torn view
            if (names.contains("a" + i) == names.contains("b" + i)) {
                failures.add("readdir r: pair " + i + " torn: " + names);
            }
        }
    }

    /** The end state: consistent listings, no markers, and each group's invariant. */
    private void finalState(FsOps fs) throws Exception {
        consistent(fs, "", "cu", "r", "c", "m");
        for (int f = 0; f < COPY_UP_FILES; f++) {
            assertEquals(COPY_UP_SIZE, fs.stat("cu/f" + f).size());
        }
        consistent(fs, "cu", names("f", COPY_UP_FILES));
        consistent(fs, "r", concat(names("a", PAIRS), names("b", PAIRS)));
        for (int i = 0; i < PAIRS; i++) {
            boolean a = exists(fs, "r/a" + i);
            boolean b = exists(fs, "r/b" + i);
            assertTrue(a ^ b, "exactly one of r/a" + i + " and r/b" + i);
            assertEquals("a" + i, new String(fs.readAll("r/" + (a ? "a" : "b") + i), StandardCharsets.UTF_8),
                    "a renamed file keeps its data");
        }
        consistent(fs, "c", names("x", NAMES));
        for (int k = 0; k < NAMES; k++) {
            if (exists(fs, "c/x" + k)) {
                String s = new String(fs.readAll("c/x" + k), StandardCharsets.UTF_8);
                // every create that made a file wrote to it before its thread finished
                assertTrue(s.equals("t" + k) || k < NAMES / 2 && s.equals("l" + k), "c/x" + k + ": '" + s + "'");
            }
        }
        consistent(fs, "m", names("d", DIRS));
        for (int d = 0; d < DIRS; d++) {
            if (exists(fs, "m/d" + d)) {
                assertTrue(fs.stat("m/d" + d).isDir(), "m/d" + d + " is a directory");
                consistent(fs, "m/d" + d, "f");
                if (exists(fs, "m/d" + d + "/f")) {
                    String s = new String(fs.readAll("m/d" + d + "/f"), StandardCharsets.UTF_8);
                    assertTrue(s.matches("f[0-9]+"), "m/d" + d + "/f: '" + s + "'");
                }
            }
        }
    }

    private static String[] names(String prefix, int n) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = prefix + i;
        }
        return out;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static boolean exists(FsOps fs, String p) throws FsException {
        try {
            fs.stat(p);
            return true;
        } catch (FsException e) {
            if (e.errno() == Errno.ENOENT) {
                return false;
            }
            throw e;
        }
    }

    /**
     * readdir of dir equals what getattr finds among the names that may exist there (and nothing else is
     * listed); no listed entry is a marker; each entry's d_type matches getattr's type.
     */
    private void consistent(FsOps fs, String dir, String... universe) throws Exception {
        Map<String, FileType> listed = new TreeMap<>();
        for (DirEntry e : fs.entries(dir)) {
            listed.put(e.name(), e.type());
            assertTrue(!e.name().startsWith(".wh.") && !e.name().startsWith("#jovl"),
                    "a marker or temporary shows in " + dir + ": " + e);
        }
        Set<String> found = new TreeSet<>();
        Set<String> candidates = new TreeSet<>(listed.keySet());
        candidates.addAll(java.util.Arrays.asList(universe));
        for (String n : candidates) {
            String p = dir.isEmpty() ? n : dir + "/" + n;
            try {
                Stat st = fs.stat(p);
                found.add(n);
                assertTrue(!(st.type() == FileType.CHAR && st.rdev() == 0), "a whiteout shows at " + p);
                if (listed.containsKey(n)) {
                    assertEquals(st.type(), listed.get(n), "d_type of " + p);
                }
            } catch (FsException e) {
                assertEquals(Errno.ENOENT, e.errno(), "getattr " + p);
            }
        }
        assertEquals(found, listed.keySet(), "readdir of '" + dir + "' equals what getattr finds");
    }

    /** Counts copy-ups per path (the engine reports each, under its lock). */
    private static final class CopyUpCounter implements OverlayEvents {
        private final Map<String, AtomicLong> n = new ConcurrentHashMap<>();

        @Override
        public void copiedUp(RelPath path, String fromLayer, long bytes, long nanos) {
            n.computeIfAbsent(path.toString(), k -> new AtomicLong()).incrementAndGet();
        }

        long count(String p) {
            AtomicLong c = n.get(p);
            return c == null ? 0 : c.get();
        }
    }
}
