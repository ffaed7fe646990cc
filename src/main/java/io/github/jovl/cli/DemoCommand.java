package io.github.jovl.cli;

import io.github.jovl.config.MountOptions;
import io.github.jovl.mount.Backend;
import io.github.jovl.mount.BackendChoice;
import io.github.jovl.mount.MountHandle;
import io.github.jovl.mount.MountSettings;
import io.github.jovl.mount.Mounter;
import io.github.jovl.teach.Demo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = Version.class,
        headerHeading = "%n", synopsisHeading = "Usage: ",
        header = "Walk through copy-on-write on a real overlay mount, step by step.",
        description = {
            "",
            "Makes lower, upper, work and merged directories (in DIR, or a new temporary directory), mounts them,"
                + " and runs the classic steps: a lower file seen in merged; a write that copies it up; a"
                + " delete that leaves a whiteout; rmdir and mkdir that make an opaque directory; a second lower"
                + " layer that shadows the first. Each step prints the command, the layers and the merged view"
                + " side by side, and what happened. Unmounts and removes everything at the end unless --keep.",
            ""},
        optionListHeading = "Options:%n",
        footer = {"", "Needs FUSE (fuse3, libfuse2) or root for a kernel overlay."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--keep", description = "Keep the directories afterwards, to look around.")
    boolean keep;

    @Option(names = "--step", description = "Wait for Enter between steps.")
    boolean step;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto",
            description = "Which overlay to demonstrate on: auto, kernel or fuse (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--stacktrace", description = "On failure, print the full stack trace too.")
    boolean stacktrace;

    @Parameters(arity = "0..1", paramLabel = "DIR", description = "An empty or new directory to work in.")
    Path dir;

    @Override
    public Integer call() throws Exception {
        Backend b = Backend.parse(backend);
        Path base = dir != null ? Files.createDirectories(dir).toAbsolutePath()
                : Files.createTempDirectory("jovl-demo-");
        try (Stream<Path> s = Files.list(base)) {
            if (s.findAny().isPresent() && dir != null) {
                throw new ExitCodes.UsageException(base + " is not empty; give an empty or new directory");
            }
        }
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Runnable pause = () -> {
            if (step) {
                out.print("[Enter for the next step] ");
                try {
                    in.readLine();
                } catch (IOException e) {
                    // no terminal: go on
                }
            }
        };
        try {
            new Demo(base, (lowers, upper, work, mnt) -> mount(b, lowers, upper, work, mnt), out, pause).run();
        } finally {
            if (!keep) {
                removeTree(base);
            }
        }
        out.println(keep ? "Kept " + base + " (unmounted): lower, lower2, upper, work and merged are there."
                : "Removed " + base + " (--keep keeps it).");
        return ExitCodes.OK;
    }

    private Demo.Mounted mount(Backend b, List<Path> lowers, Path upper, Path work, Path mnt) throws Exception {
        String opts = "lowerdir=" + lowers.stream().map(Path::toString).collect(Collectors.joining(":"))
                + ",upperdir=" + upper + ",workdir=" + work;
        MountOptions o = MountOptions.parse(List.of(opts));
        BackendChoice.Choice c = BackendChoice.choose(b, o, null);
        MountHandle h = Mounter.mount(c.backend(), o, mnt, new MountSettings(true, false, Duration.ofSeconds(30),
                System.err), c.kernelExtras());
        return new Demo.Mounted() {
            @Override
            public String backend() {
                return c.backend().toString();
            }

            @Override
            public void close() {
                h.close();
            }
        };
    }

    private static void removeTree(Path p) throws IOException {
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
