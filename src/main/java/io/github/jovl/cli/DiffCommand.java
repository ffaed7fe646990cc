package io.github.jovl.cli;

import io.github.jovl.config.XattrNamespace;
import io.github.jovl.fs.FsException;
import io.github.jovl.fs.RelPath;
import io.github.jovl.layer.Layer;
import io.github.jovl.mount.MountRecords;
import io.github.jovl.oci.LowerView;
import io.github.jovl.whiteout.Markers;
import io.github.jovl.whiteout.UpperChanges;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "diff", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = Version.class,
        headerHeading = "%n", synopsisHeading = "Usage: ",
        header = "List what an upper layer changes, like `docker diff`: A added, C changed, D deleted.",
        description = {
            "",
            "Reads UPPER (an upper directory) or the upper of the jovl mount at MOUNTPOINT and prints one line per"
                + " change, sorted by path. Whiteouts in every form (0/0 char device, .wh.NAME, xattr) are D;"
                + " an opaque directory is C (it replaces the lower one); a name the lowers also have is C;"
                + " anything else is A. Without the lowers (a bare UPPER and no --lower), copy-up origin"
                + " xattrs tell C from A.",
            ""},
        optionListHeading = "Options:%n",
        footer = {"", "Exit status: 0 listed (even when nothing changed), 1 failed, 2 bad command line."})
final class DiffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--lower", paramLabel = "DIR", description = "A lower layer of UPPER, top first (repeat).")
    List<Path> lowers = new ArrayList<>();

    @Option(names = "--stacktrace", description = "On failure, print the full stack trace too.")
    boolean stacktrace;

    @Parameters(paramLabel = "UPPER|MOUNTPOINT", description = "An upper directory, or a jovl mount.")
    Path target;

    @Override
    public Integer call() throws Exception {
        Path upper = target;
        List<Path> below = lowers;
        Optional<MountRecords.Record> mount = MountRecords.find(target.toAbsolutePath().normalize());
        if (mount.isPresent()) {
            if (mount.get().upper() == null) {
                throw new ExitCodes.UsageException(target + " is a read-only overlay: it has no changes");
            }
            upper = mount.get().upper();
            below = mount.get().lowers();
        } else if (!Files.isDirectory(upper)) {
            throw new ExitCodes.UsageException(target + " is neither a directory nor a jovl mount");
        }
        PrintWriter out = spec.commandLine().getOut();
        for (UpperChanges.Change c : changes(upper, below)) {
            out.println(c);
        }
        out.flush();
        return ExitCodes.OK;
    }

    static List<UpperChanges.Change> changes(Path upper, List<Path> lowers) throws FsException {
        Markers markers = new Markers(true, XattrNamespace.TRUSTED, true); // reads every form whatever it writes
        Layer up = new Layer(upper.toAbsolutePath(), 0, true);
        if (lowers.isEmpty()) {
            return new UpperChanges(up, markers, null).scan();
        }
        LowerView below = new LowerView(lowers);
        Predicate<RelPath> inLower = p -> {
            try {
                return below.lookup(p) != null;
            } catch (FsException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        return new UpperChanges(up, markers, inLower).scan();
    }
}
