package io.github.jovl.fuse;

import io.github.jovl.it.Mounts;
import io.github.jovl.it.Prereq;
import io.github.jovl.mount.FuseDaemons;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real launcher (target/jovl, system property jovl.launcher) as a user would, and cleans up after it:
 * what a test mounts it unmounts, and the only processes it ever kills are the daemons of its own mounts, by
 * PID. Output goes to files, not pipes: a daemon that wrongly kept our pipe would make a pipe read hang.
 */
public final class JovlCli {
    private JovlCli() {
    }

    public record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    public static Path launcher() {
        return Path.of(System.getProperty("jovl.launcher", "target/jovl")).toAbsolutePath();
    }

    /** FUSE and a built launcher; under CI=true their absence fails the test. */
    public static void require() {
        Prereq.requireFuse();
        Prereq.require(Files.isExecutable(launcher()), "the launcher " + launcher() + " (mvn package)");
    }

    public static Result run(String... args) throws IOException, InterruptedException {
        return run(Duration.ofSeconds(90), args);
    }

    public static Result run(Duration timeout, String... args) throws IOException, InterruptedException {
        return run(java.util.Map.of(), timeout, args);
    }

    /** With extra environment variables (e.g. JOVL_KERNEL_PROBE=fail to test the FUSE fallback). */
    public static Result run(java.util.Map<String, String> env, Duration timeout, String... args)
            throws IOException, InterruptedException {
        return run(launcher(), env, timeout, args);
    }

    /** Another copy of the launcher (e.g. moved elsewhere with its jar). */
    public static Result run(Path launcher, java.util.Map<String, String> env, Duration timeout, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(launcher.toString());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("jovl-it-out", ".txt");
        Path err = Files.createTempFile("jovl-it-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("jovl " + String.join(" ", args) + " did not finish in " + timeout);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** `jovl mount -o OPTIONS MOUNTPOINT` that must succeed; returns the daemon now serving the mount. */
    public static ProcessHandle mount(String options, Path mnt, String... extra) throws Exception {
        // the daemon is what these tests are about: never let auto hand the mount to the kernel
        List<String> args = new ArrayList<>(List.of("mount", "--backend=fuse"));
        args.addAll(List.of(extra));
        args.addAll(List.of("-o", options, mnt.toString()));
        Result r = run(args.toArray(new String[0]));
        if (r.code() != 0) {
            throw new AssertionError("jovl mount failed: " + r);
        }
        List<ProcessHandle> d = FuseDaemons.serving(mnt.toRealPath());
        if (d.size() != 1) {
            throw new AssertionError("expected one daemon serving " + mnt + ", found " + d);
        }
        return d.get(0);
    }

    public static boolean mounted(Path mnt) throws IOException {
        return !Mounts.under(mnt).isEmpty();
    }

    /** True once the process has exited (a zombie counts: it has let go of everything). */
    public static boolean awaitExit(ProcessHandle p, Duration d) throws InterruptedException {
        return FuseDaemons.awaitExit(List.of(p), d.toMillis());
    }

    /**
     * For finally blocks: unmounts whatever is at or under mnt (jovl umount, then a lazy detach as the last
     * resort), then ends the given daemons of this test that are still alive: SIGTERM, SIGKILL after 10 s.
     */
    public static void cleanUp(Path mnt, ProcessHandle... ours) throws Exception {
        if (mnt != null && mounted(mnt)) {
            try {
                run(Duration.ofSeconds(30), "umount", mnt.toString());
            } catch (AssertionError | IOException e) {
                // fall through to the detach below
            }
            Mounts.detachAllUnder(mnt);
        }
        for (ProcessHandle p : ours) {
            if (p != null && !FuseDaemons.exited(p)) {
                p.destroy();
                if (!awaitExit(p, Duration.ofSeconds(10))) {
                    p.destroyForcibly();
                }
            }
        }
    }
}
