package io.github.jovl.cli;

import io.github.jovl.fs.FsException;
import io.github.jovl.oci.BadArchiveException;
import io.github.jovl.oci.LayerStore;
import io.github.jovl.oci.Store;
import io.github.jovl.oci.StoreException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every store command shares (a picocli mixin): --root and --stacktrace, the command's output streams, and
 * the one-line report of the store's own errors (refused archives, unknown names), which are for users rather
 * than internal errors.
 */
final class StoreOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    // INHERIT: `jovl layer ls --root X` and `jovl layer --root X ls` both work
    @Option(names = "--root", paramLabel = "DIR", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "The store (default: $XDG_DATA_HOME/jovl or ~/.local/share/jovl).")
    Path root;

    @Option(names = "--stacktrace", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "On failure, print the full stack trace too.")
    boolean stacktrace;

    PrintWriter out() {
        return mixee.commandLine().getOut();
    }

    PrintWriter err() {
        return mixee.commandLine().getErr();
    }

    Store open() throws IOException {
        return Store.open(root != null ? root : Store.defaultRoot());
    }

    /** The layer store of s, its warnings and progress on the command's stderr. */
    LayerStore layers(Store s) throws IOException {
        PrintWriter err = err();
        LayerStore l = new LayerStore(s, w -> {
            err.println("jovl: warning: " + w);
            err.flush();
        });
        l.setProgress(new ProgressLine(err, "importing"));
        return l;
    }

    /** Runs a command body; refused input and store errors are one line on stderr and exit status 1. */
    int run(Callable<Integer> body) throws Exception {
        PrintWriter err = err();
        try {
            return body.call();
        } catch (BadArchiveException | StoreException | FsException e) {
            err.println("jovl: " + e.getMessage());
            if (stacktrace) {
                e.printStackTrace(err);
            }
            err.flush();
            return ExitCodes.FAILED;
        } catch (IOException e) {
            err.println("jovl: " + e);
            if (stacktrace) {
                e.printStackTrace(err);
            }
            err.flush();
            return ExitCodes.FAILED;
        }
    }
}
