package io.github.jovl.cli;

import io.github.jovl.mount.FuseDaemons;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * `jovl mount` without -f: like fuse-overlayfs, return once the mount is usable and leave a daemon serving it.
 * A JVM cannot fork, so it starts itself again (same java, JVM options and classpath) as `jovl mount -f` in a
 * new session, in "/", with its output in a log, and waits for the daemon's line in a {@link ReadyFile} or for
 * its death. Relative paths are made absolute first, since the daemon does not run where we do.
 * <p>
 * The daemon is started through `setsid --fork`, so that it is not our child: a JVM that exits waits up to
 * 300 ms for its threads blocked in native code, and the thread that waits for a child process is one as long
 * as the child lives (measured: `jovl mount` returned 0.35 s after the daemon said ready). setsid's own process
 * exits at once; the daemon is then the one process whose arguments name our ready-file.
 */
final class BackgroundMount {
    /** JVM start-up comes on top of the mount timeout. */
    private static final Duration START_SLACK = Duration.ofSeconds(30);
    private static final String SETSID = "/usr/bin/setsid";

    private final PrintWriter err;

    BackgroundMount(PrintWriter err) {
        this.err = err;
    }

    /**
     * @param daemonArgs the arguments of `jovl` for the daemon, without -f and --ready-file
     * @param log        where the daemon's output goes; null: kept only until the mount is up
     */
    int launch(List<String> daemonArgs, Path log, Duration timeout) throws IOException, InterruptedException {
        Path ready = Files.createTempFile("jovl-ready-", "");
        Path capture = log != null ? log : Files.createTempFile("jovl-daemon-", ".log");
        Thread abandon = null;
        try {
            List<String> cmd = command(daemonArgs, ready);
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(new File("/"))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(capture.toFile()))
                    .redirectErrorStream(true);
            long logStart = Files.size(capture);
            ProcessHandle daemon = daemon(pb.start(), cmd, ready);
            // interrupted before the mount was up (Ctrl-C): the half-started daemon goes too, and unmounts
            abandon = new Thread(() -> stop(daemon), "jovl-abandon-daemon");
            Runtime.getRuntime().addShutdownHook(abandon);
            int rc = await(daemon, ready, capture, logStart, timeout.plus(START_SLACK));
            Runtime.getRuntime().removeShutdownHook(abandon);
            return rc;
        } finally {
            Files.deleteIfExists(ready);
            Files.deleteIfExists(ready.resolveSibling(ready.getFileName() + ".tmp"));
            if (log == null) {
                Files.deleteIfExists(capture); // the daemon keeps writing into the unlinked file: harmless
            }
        }
    }

    /**
     * The daemon: setsid --fork's child, or {@code started} itself without setsid. Null if it is gone already (it
     * may have said why in the ready-file) or setsid failed (its message is in the log).
     */
    private static ProcessHandle daemon(Process started, List<String> cmd, Path ready) throws InterruptedException {
        if (!cmd.get(0).equals(SETSID)) {
            return started.toHandle();
        }
        // setsid --fork exits as soon as it has forked; until it is reaped, a thread of ours waits in native code
        if (!started.waitFor(START_SLACK.toSeconds(), TimeUnit.SECONDS)) {
            started.destroyForcibly();
            return null;
        }
        if (started.exitValue() != 0) {
            return null;
        }
        return withArgument("--ready-file=" + ready).orElse(null);
    }

    /**
     * Our process with arg among its arguments. Ours: the argument names a new temporary file, whose name others
     * can see in /tmp, so a process of another user is never taken for it.
     */
    static Optional<ProcessHandle> withArgument(String arg) {
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"))) {
            Object us = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            for (Path proc : procs) {
                String pid = proc.getFileName().toString();
                if (pid.isEmpty() || !Character.isDigit(pid.charAt(0))) {
                    continue;
                }
                try {
                    if (!us.equals(Files.getAttribute(proc, "unix:uid"))) {
                        continue;
                    }
                    String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (Arrays.asList(cmdline.split("\0")).contains(arg)) {
                        return ProcessHandle.of(Long.parseLong(pid));
                    }
                } catch (IOException | NumberFormatException e) {
                    // gone while we looked, or not a process
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private int await(ProcessHandle daemon, Path ready, Path capture, long logStart, Duration limit)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            String line = ReadyFile.read(ready);
            if (line != null) {
                if (line.equals(ReadyFile.READY)) {
                    return ExitCodes.OK;
                }
                if (daemon != null) {
                    FuseDaemons.awaitExit(List.of(daemon), 5_000);
                }
                printOutput(capture, logStart, true);
                err.println("jovl: " + (line.startsWith(ReadyFile.ERROR) ? line.substring(ReadyFile.ERROR.length())
                        : line));
                return ExitCodes.FAILED;
            }
            if (daemon == null || FuseDaemons.exited(daemon)) {
                if (ReadyFile.read(ready) != null) {
                    continue; // it wrote its line just before exiting
                }
                printOutput(capture, logStart, false);
                err.println("jovl: the mount daemon exited before the mount was usable (jovl mount -f shows"
                        + " everything it says)");
                return ExitCodes.FAILED;
            }
            if (System.nanoTime() > deadline) {
                stop(daemon);
                printOutput(capture, logStart, false);
                err.println("jovl: the mount was not usable after " + limit.toSeconds() + " s; stopped the daemon");
                return ExitCodes.FAILED;
            }
            Thread.sleep(2);
        }
    }

    /** What the daemon printed; its own "jovl: " lines are left out when its message comes separately. */
    private void printOutput(Path capture, long from, boolean skipOwnLines) throws IOException {
        byte[] all = Files.readAllBytes(capture);
        String text = new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from),
                StandardCharsets.UTF_8);
        for (String l : text.split("\n")) {
            if (!l.isBlank() && !(skipOwnLines && l.startsWith("jovl: ") && !l.startsWith("jovl: warning"))) {
                err.println(l);
            }
        }
    }

    /** SIGTERM, which the daemon answers by unmounting; SIGKILL only if it does not go within 10 s. */
    private static void stop(ProcessHandle daemon) {
        if (daemon == null || FuseDaemons.exited(daemon)) {
            return;
        }
        daemon.destroy();
        try {
            if (!FuseDaemons.awaitExit(List.of(daemon), 10_000)) {
                daemon.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** This JVM again: the same java binary, JVM options and classpath, as a foreground daemon. */
    static List<String> command(List<String> daemonArgs, Path ready) {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of(SETSID))) {
            // its own session: no controlling terminal, so closing the shell sends it no SIGHUP
            cmd.add(SETSID);
            cmd.add("--fork");
        }
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib:jdwp") && !a.startsWith("-Dfile.encoding=") && !writesClassData(a)) {
                cmd.add(a);
            }
        }
        // jnr turns file names into Strings with the default charset; a C locale would garble non-ASCII names
        cmd.add("-Dfile.encoding=UTF-8");
        cmd.add("-cp");
        cmd.add(absoluteClasspath());
        cmd.add(Main.class.getName());
        cmd.add("mount");
        cmd.add("-f");
        cmd.add("--ready-file=" + ready);
        cmd.addAll(daemonArgs);
        return cmd;
    }

    /**
     * Options that make a JVM write a class list or CDS archive when it exits (the launcher's build-time
     * training run uses one): the daemon would write the same file as we do, over ours.
     */
    static boolean writesClassData(String jvmOption) {
        return jvmOption.startsWith("-XX:DumpLoadedClassList=") || jvmOption.startsWith("-XX:ArchiveClassesAtExit=")
                || jvmOption.equals("-Xshare:dump");
    }

    private static String absoluteClasspath() {
        List<String> parts = new ArrayList<>();
        for (String p : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!p.isEmpty()) {
                parts.add(Path.of(p).toAbsolutePath().toString());
            }
        }
        return String.join(File.pathSeparator, parts);
    }
}
