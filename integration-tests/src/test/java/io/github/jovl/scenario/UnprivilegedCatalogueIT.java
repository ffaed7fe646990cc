package io.github.jovl.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jovl.fuse.JovlCli;
import io.github.jovl.it.KernelMounter;
import io.github.jovl.it.LayerOptions;
import io.github.jovl.it.Mounts;
import io.github.jovl.it.Prereq;
import io.github.jovl.sys.Native;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The scenario catalogue through mounts made by an unprivileged user: a child JVM started with setpriv as uid
 * 65534 ({@link UnprivilegedCatalogue}) makes the layers it owns, mounts them with the real {@code jovl mount}
 * (auto falls back to FUSE: the daemon runs as that user, through the setuid fusermount3), runs each scenario
 * with real system calls and judges it. A root JVM could not do the driving: FUSE keeps other users, root
 * included, out of a user's mount unless it has allow_other. Each scenario is one test here, and a second one
 * checks that a userxattr kernel mount of the layers it left shows the view the user saw: the formats stay
 * interchangeable.
 */
class UnprivilegedCatalogueIT {
    private static final String UID = "65534";

    @TestFactory
    Stream<DynamicNode> catalogueThroughAnUnprivilegedUsersMount() throws Exception {
        Prereq.requireUnprivilegedFuse();
        Prereq.requireKernelOverlay();
        JovlCli.require();
        // @TempDir is root's and 0700: the user could reach nothing there
        Path base = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "jovl-unpriv-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        List<DynamicNode> tests = new ArrayList<>();
        try {
            Path scratch = Files.createDirectories(base.resolve("scratch"));
            Path report = scratch.resolve("report");
            Path log = base.resolve("child.log");
            run(List.of("chown", UID + ":" + UID, scratch.toString()), base.resolve("chown.log"));
            List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + UID, "--regid=" + UID,
                    "--clear-groups", "--", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Djovl.launcher=" + readableCopyOfTheLauncher(base),
                    "-cp", readableCopyOfTheClasspath(base),
                    UnprivilegedCatalogue.class.getName(), scratch.toString(), report.toString()));
            int code = run(cmd, log);
            String childLog = tail(log);
            Map<String, UnprivilegedCatalogue.Verdict> verdicts = Files.exists(report)
                    ? UnprivilegedCatalogue.read(report) : Map.of();
            tests.add(DynamicTest.dynamicTest("the child JVM (uid " + UID + ") finished cleanly",
                    () -> assertEquals(0, code, "exit " + code + "; its output:\n" + childLog)));
            for (Scenario s : UnprivilegedCatalogue.selected()) {
                UnprivilegedCatalogue.Verdict v = verdicts.get(s.title());
                tests.add(DynamicTest.dynamicTest(s.title(), () -> {
                    assertTrue(v != null, "no verdict: the child stopped before it (exit " + code + "):\n"
                            + childLog);
                    assertTrue(v.failure().isEmpty(), () -> v.failure().get());
                }));
                // read back now, while the layers exist; judged in the test
                String readBack = v == null || v.failure().isPresent() ? "not run: the scenario did not pass"
                        : kernelReadBack(v.run());
                tests.add(DynamicTest.dynamicTest(s.title() + " | a userxattr kernel mount reads what it left",
                        () -> assertNull(readBack, readBack)));
            }
        } finally {
            List<String> left = Mounts.detachAllUnder(base);
            try (var walk = Files.walk(base)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
            tests.add(DynamicTest.dynamicTest("nothing left mounted",
                    () -> assertEquals(List.of(), left, "mounts left behind (now detached)")));
        }
        return tests.stream();
    }

    /**
     * Mounts the run's layers as kernel overlayfs with userxattr (as root here, the form an unprivileged kernel
     * mount uses) and compares its view with the one the user saw through jovl; null when they are the same.
     */
    private static String kernelReadBack(Path run) {
        Path layers = run.resolve("layers");
        List<Path> lowers = new ArrayList<>();
        for (int i = 0; Files.isDirectory(layers.resolve("lower" + i)); i++) {
            lowers.add(layers.resolve("lower" + i));
        }
        Path upper = Files.isDirectory(layers.resolve("upper")) ? layers.resolve("upper") : null;
        Path work = upper == null ? null : layers.resolve("work");
        KernelMounter kernel = new KernelMounter();
        try {
            Path mnt = Files.createDirectories(run.resolve("kernel-mnt"));
            Native.mount("overlay", mnt.toString(), "overlay", 0,
                    LayerOptions.of(lowers, upper, work) + "," + KernelMounter.USERXATTR_OPTIONS);
            String shown;
            try {
                shown = Tree.view(new HostView(mnt)).render();
            } finally {
                kernel.unmount(mnt);
            }
            String seen = Files.readString(run.resolve(UnprivilegedCatalogue.VIEW), StandardCharsets.UTF_8);
            return seen.equals(shown) ? null
                    : "jovl (uid " + UID + ") showed:\n" + seen + "a userxattr kernel mount of its layers shows:\n"
                    + shown;
        } catch (Exception e) {
            return "the kernel read-back failed: " + e;
        }
    }

    /** The launcher and jar in a directory the user can read (the build's own may sit under root's home). */
    private static Path readableCopyOfTheLauncher(Path base) throws IOException {
        Path bin = readableDir(base.resolve("bin"));
        Path launcher = JovlCli.launcher();
        Files.copy(launcher, bin.resolve("jovl"));
        Files.copy(launcher.resolveSibling("jovl.jar"), bin.resolve("jovl.jar"));
        Files.setPosixFilePermissions(bin.resolve("jovl"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(bin.resolve("jovl.jar"), PosixFilePermissions.fromString("rw-r--r--"));
        return bin.resolve("jovl");
    }

    /**
     * This JVM's test class path, copied where the user can read it (the local Maven repository is under
     * root's 0700 home). Under failsafe the real path is in surefire.test.class.path.
     */
    private static String readableCopyOfTheClasspath(Path base) throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path dir = readableDir(base.resolve("cp"));
        List<String> out = new ArrayList<>();
        int i = 0;
        for (String entry : cp.split(File.pathSeparator)) {
            Path from = Path.of(entry);
            if (!Files.exists(from)) {
                continue;
            }
            Path to = dir.resolve((i++) + "-" + from.getFileName());
            try (var walk = Files.walk(from)) {
                for (Path p : walk.toList()) {
                    Path t = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        readableDir(t);
                    } else {
                        Files.copy(p, t);
                        Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rw-r--r--"));
                    }
                }
            }
            out.add(to.toString());
        }
        return String.join(File.pathSeparator, out);
    }

    private static Path readableDir(Path d) throws IOException {
        Files.createDirectories(d);
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        return d;
    }

    /** Runs cmd with its output in log; the child's run is bounded, and killed (with its daemons' mounts
     * detached by the caller) if it hangs. */
    private static int run(List<String> cmd, Path log) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("HOME", "/tmp");
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            return -1;
        }
        return p.exitValue();
    }

    private static String tail(Path log) throws IOException {
        String s = Files.readString(log, StandardCharsets.UTF_8);
        return s.length() <= 20_000 ? s : "..." + s.substring(s.length() - 20_000);
    }
}
