package io.github.jovl.cli;

import io.github.jovl.kernel.KernelProbe;
import io.github.jovl.kernel.KernelSupport;
import io.github.jovl.mount.Programs;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "probe", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = Version.class,
        headerHeading = "%n", synopsisHeading = "Usage: ",
        header = "Print what this host can do: kernel overlayfs and its features, FUSE, unprivileged whiteouts.",
        description = {
            "",
            "Finds out by trying: a trial kernel overlay mount of tiny directories in DIR (default: the system"
                + " temporary directory), one per optional feature; a 0/0 character device; /dev/fuse, libfuse2"
                + " and fusermount. Nothing is left behind.",
            ""},
        optionListHeading = "Options:%n")
final class ProbeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to try (the upper's filesystem matters).")
    Path dir = Path.of(System.getProperty("java.io.tmpdir"));

    @Option(names = "--stacktrace", description = "On failure, print the full stack trace too.")
    boolean stacktrace;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        KernelSupport k = KernelProbe.probe(dir, false);
        out.println("kernel overlay:        " + (k.usable() ? "usable" + (k.userxattr() ? " (with userxattr)" : "")
                : "not usable: " + k.reason()));
        if (k.usable()) {
            out.println("  features:            " + (k.features().isEmpty() ? "none" : String.join(", ",
                    k.features().stream().sorted().toList())));
        }
        out.println("unprivileged whiteout: " + (k.chardevWhiteouts() || canMknodWhiteout(dir)
                ? "0/0 char devices can be made here" : "no: .wh. files are used"));
        boolean devFuse = Files.exists(Path.of("/dev/fuse"));
        boolean libfuse2 = Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libfuse.so.2"))
                || Files.exists(Path.of("/usr/lib/aarch64-linux-gnu/libfuse.so.2"))
                || Files.exists(Path.of("/lib/x86_64-linux-gnu/libfuse.so.2"));
        String fusermount = Programs.onPath("fusermount3") ? "fusermount3"
                : Programs.onPath("fusermount") ? "fusermount" : null;
        out.println("FUSE:                  /dev/fuse " + (devFuse ? "present" : "missing (modprobe fuse)")
                + ", libfuse2 " + (libfuse2 ? "present" : "missing (apt-get install libfuse2)") + ", "
                + (fusermount != null ? fusermount + " present" : "fusermount missing (apt-get install fuse3)"));
        out.println("backend=fuse:          " + (devFuse && libfuse2 ? "available" : "not available"));
        out.println("backend=auto chooses:  " + (k.usable() ? "kernel (a trial mount in " + dir + " worked)"
                : "fuse, because " + k.reason()));
        out.flush();
        return ExitCodes.OK;
    }

    private static boolean canMknodWhiteout(Path dir) {
        try {
            Path t = Files.createTempDirectory(dir, ".jovl-wh-");
            try {
                io.github.jovl.sys.Native.mknod(t.resolve("w").toString(), io.github.jovl.fs.FileType.CHAR.bits, 0);
                return true;
            } catch (io.github.jovl.fs.FsException e) {
                return false;
            } finally {
                Files.deleteIfExists(t.resolve("w"));
                Files.deleteIfExists(t);
            }
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
