package io.github.jovl.cli;

import io.github.jovl.mount.MountRecords;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "mounts", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = Version.class,
        headerHeading = "%n", synopsisHeading = "Usage: ",
        header = "List the active jovl mounts with their backend and layers.",
        description = {"", "One line per mount: MOUNTPOINT BACKEND lowerdir=...[,upperdir=...,workdir=...].", ""},
        optionListHeading = "Options:%n")
final class MountsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--stacktrace", description = "On failure, print the full stack trace too.")
    boolean stacktrace;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        for (MountRecords.Record r : MountRecords.active()) {
            out.println(r.mountpoint() + " " + r.backend() + " lowerdir=" + r.lowers().stream().map(Path::toString)
                    .collect(Collectors.joining(":")) + (r.upper() == null ? "" : ",upperdir=" + r.upper()
                    + ",workdir=" + r.work()));
        }
        out.flush();
        return ExitCodes.OK;
    }
}
