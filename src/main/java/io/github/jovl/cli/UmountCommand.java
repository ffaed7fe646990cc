package io.github.jovl.cli;

import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FsException;
import io.github.jovl.mount.FuseDaemons;
import io.github.jovl.mount.MountTable;
import io.github.jovl.mount.Unmounter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "umount", aliases = "unmount", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = Version.class,
        headerHeading = "%n", synopsisHeading = "Usage: ",
        header = "Unmount a jovl overlay and wait for its daemon to finish.",
        description = {
            "",
            "Unmounts MOUNTPOINT (umount2 as root, fusermount3 -u otherwise) and waits until the daemon that"
                + " served it has exited, so its upper and workdir can be used again at once. Refuses mounts"
                + " that are not FUSE or jovl overlays.",
            ""},
        optionListHeading = "Options:%n",
        footer = {"", "Exit status: 0 unmounted, 1 not mounted, busy or not permitted, 2 bad command line."})
final class UmountCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-l", "--lazy"}, description = "Detach now even if files are open; the daemon exits when"
            + " the last one is closed (not waited for).")
    boolean lazy;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long to wait for the daemon to exit (default: ${DEFAULT-VALUE}).")
    int waitSeconds;

    @Option(names = "--stacktrace", description = "On failure, print the full stack trace too.")
    boolean stacktrace;

    @Parameters(paramLabel = "MOUNTPOINT", description = "Where the overlay is mounted.")
    Path mountpoint;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        // no stat of the mountpoint first: a dead or hung daemon would make it fail or block
        Path abs = mountpoint.toAbsolutePath().normalize();
        MountTable table = MountTable.read();
        MountTable.Entry top = table.top(abs);
        if (top == null) {
            abs = realPath(abs);
            top = table.top(abs);
        }
        if (top == null) {
            throw FsException.withMessage(Errno.EINVAL, abs.toString(), abs + " is not mounted");
        }
        boolean kernelOverlay = top.fsType().equals("overlay") && top.source().equals("jovl");
        if (!top.isFuse() && !kernelOverlay) {
            throw FsException.withMessage(Errno.EINVAL, abs.toString(), abs + " is a " + top.fsType()
                    + " mount, not a jovl overlay; use umount(8)");
        }
        List<ProcessHandle> daemons = top.isFuse() && !lazy ? FuseDaemons.serving(abs) : List.of();
        try {
            Unmounter.unmount(abs, lazy);
        } catch (FsException e) {
            if (e.errno() == Errno.EBUSY) {
                throw FsException.withMessage(Errno.EBUSY, abs.toString(), abs + " is busy (a process has a file"
                        + " or its working directory in it); end those, or use jovl umount --lazy");
            }
            throw e;
        }
        if (!FuseDaemons.awaitExit(daemons, waitSeconds * 1000L)) {
            err.println("jovl: warning: unmounted " + abs + ", but its daemon " + daemons.stream()
                    .filter(p -> !FuseDaemons.exited(p)).map(p -> "PID " + p.pid()).toList() + " is still running");
        }
        return ExitCodes.OK;
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }
}
