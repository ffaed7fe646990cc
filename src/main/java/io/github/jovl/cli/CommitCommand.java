package io.github.jovl.cli;

import io.github.jovl.oci.ContainerCommit;
import io.github.jovl.oci.ImageInfo;
import io.github.jovl.oci.Store;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import java.util.concurrent.Callable;

/** jovl commit CONTAINER: the container's changes become a new layer on its image, and a new image. */
@Command(name = "commit", mixinStandardHelpOptions = true, versionProvider = Version.class,
        header = "Store a container's changes as a new layer and a new image; print the image ID.",
        description = {"", "The container may stay mounted, but changes made while the commit runs may or may not"
                + " be in it: unmount first for a consistent layer.", ""})
final class CommitCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Parameters(paramLabel = "CONTAINER")
    String container;

    @Option(names = "--tag", paramLabel = "NAME:TAG", description = "Name the new image.")
    String tag;

    @Option(names = "--source-date-epoch", paramLabel = "N", description = "Clamp mtimes and set the created time"
            + " to N seconds since the epoch (default: $SOURCE_DATE_EPOCH if set).")
    Long epoch;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = store.err();
        return store.run(() -> {
            Store s = store.open();
            Long clamp = epoch;
            if (clamp == null && System.getenv("SOURCE_DATE_EPOCH") != null) {
                clamp = Long.parseLong(System.getenv("SOURCE_DATE_EPOCH").trim());
            }
            ImageInfo i = new ContainerCommit(s, store.layers(s), w -> err.println("jovl: warning: " + w))
                    .commit(container, tag, clamp);
            store.out().println(i.id());
            return 0;
        });
    }
}
