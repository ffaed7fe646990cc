package io.github.jovl.cli;

import io.github.jovl.fs.RelPath;
import io.github.jovl.union.Explanation;
import io.github.jovl.union.Overlay;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = Version.class,
        headerHeading = "%n", synopsisHeading = "Usage: ",
        header = "Say which layer serves a path, and why every other layer does not show there.",
        description = {
            "",
            "For PATH inside a jovl mount (or, with --layers, a path relative to the merged root of the given"
                + " layers) prints: the layer that serves it; for every layer what it holds at that name and"
                + " why it is shown, merged or hidden (shadowed by a higher layer, a whiteout, or an opaque"
                + " directory, naming where); whether the object was copied up; and for a directory, which"
                + " layers contribute entries. Reads the layers only; the mount is not touched.",
            ""},
        optionListHeading = "Options:%n",
        footer = {"", "Example:", "  jovl explain /mnt/merged/etc/hosts",
            "  jovl explain --layers lowerdir=l2:l1,upperdir=u,workdir=w etc/hosts"})
final class ExplainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--layers", paramLabel = "OPTIONS",
            description = "The layers in mount-option syntax, instead of a mount.")
    String layers;

    @Option(names = "--json", description = "One JSON object, for programs.")
    boolean json;

    @Option(names = "--stacktrace", description = "On failure, print the full stack trace too.")
    boolean stacktrace;

    @Parameters(paramLabel = "PATH", description = "A path in a jovl mount, or relative to the merged root.")
    String path;

    @Override
    public Integer call() throws Exception {
        LayerSource.Found f = layers != null ? LayerSource.fromOptions(layers, path)
                : LayerSource.fromMount(Path.of(path));
        Explanation e;
        try (Overlay o = Overlay.inspect(f.config())) {
            e = o.explain(RelPath.of(f.relative()));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? ExplainText.json(e) : ExplainText.human(e));
        out.flush();
        return e.visible() ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
