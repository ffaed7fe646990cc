package io.github.jovl.cli;

import io.github.jovl.oci.Blobs;
import io.github.jovl.oci.Compression;
import io.github.jovl.oci.ContainerStore;
import io.github.jovl.oci.Digest;
import io.github.jovl.oci.ImageInfo;
import io.github.jovl.oci.ImageStore;
import io.github.jovl.oci.LayerExport;
import io.github.jovl.oci.LayerInfo;
import io.github.jovl.oci.LayerStore;
import io.github.jovl.oci.LowerView;
import io.github.jovl.oci.Store;
import io.github.jovl.oci.StoreException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** jovl layer import|ls|inspect|rm|export|verify: the unpacked layers of the store. */
@Command(name = "layer", mixinStandardHelpOptions = true, versionProvider = Version.class,
        header = "Import, list, inspect, remove, export and verify layers in the store.",
        description = {"", "A layer is a tar changeset (OCI or docker), stored unpacked by its DiffID (the sha256 of"
                + " the uncompressed tar) in the overlay on-disk form, ready to stack as a lower directory.", ""})
final class LayerCommand {
    @Mixin
    StoreOption store;

    @Command(name = "import", mixinStandardHelpOptions = true,
            header = "Import a layer tar (plain, gzip or zstd, told apart by content) and print its DiffID.")
    int importLayer(@Parameters(paramLabel = "FILE", description = "The layer; '-' reads stdin.") String file)
            throws Exception {
        return store.run(() -> {
            Store s = store.open();
            LayerInfo info;
            try (InputStream in = file.equals("-") ? System.in : Files.newInputStream(Path.of(file))) {
                info = store.layers(s).importLayer(in, null, null, file);
            }
            store.out().println(info.diffId());
            return 0;
        });
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, header = "List the layers: DiffID, size, entries, users.")
    int ls() throws Exception {
        return store.run(() -> {
            Store s = store.open();
            ImageStore images = new ImageStore(s);
            for (LayerInfo l : store.layers(s).list()) {
                List<String> users = images.usersOf(l.digest());
                store.out().printf("%s  %12d bytes  %6d entries  %s%n", l.diffId(), l.size(), l.entries(),
                        users.isEmpty() ? "unused" : String.join(", ", users));
            }
            return 0;
        });
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true, header = "Print a layer's metadata as JSON.")
    int inspect(@Parameters(paramLabel = "LAYER", description = "A DiffID or a unique prefix of it.") String ref)
            throws Exception {
        return store.run(() -> {
            Store s = store.open();
            LayerStore layers = store.layers(s);
            store.out().println(s.json().writeValueAsString(layers.get(layers.resolve(ref))));
            store.out().println("root: " + layers.rootOf(layers.resolve(ref)));
            return 0;
        });
    }

    @Command(name = "rm", mixinStandardHelpOptions = true,
            header = "Remove layers; refused while an image (and so a container) uses one.")
    int rm(@Parameters(paramLabel = "LAYER", arity = "1..*") List<String> refs) throws Exception {
        return store.run(() -> {
            Store s = store.open();
            LayerStore layers = store.layers(s);
            s.locked(() -> {
                for (String ref : refs) {
                    Digest d = layers.resolve(ref);
                    layers.remove(d, new ImageStore(s).usersOf(d));
                    store.out().println(d);
                }
                return null;
            });
            return 0;
        });
    }

    static final class Compress {
        @Option(names = "--gzip", description = "gzip the layer") boolean gzip;
        @Option(names = "--zstd", description = "zstd the layer") boolean zstd;
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            header = "Write an upper directory's (or a container's) changes as an OCI layer; print its DiffID.",
            description = {"", "Whiteouts in every on-disk form become .wh.NAME, an opaque directory becomes"
                    + " .wh..wh..opq (when a lower layer has it), overlay-private xattrs are left out. Entries are"
                    + " sorted, so the same upper always gives the same DiffID.", ""})
    int export(@Parameters(paramLabel = "UPPER|CONTAINER") String source,
               @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true,
                       description = "Where to write the layer; '-' for stdout.") String output,
               @ArgGroup(exclusive = true) Compress compress,
               @Option(names = "--source-date-epoch", paramLabel = "N", description = "Clamp mtimes to N"
                       + " seconds since the epoch (default: $SOURCE_DATE_EPOCH if set).") Long epoch,
               @Option(names = "--lower", paramLabel = "DIR", description = "A lower layer of UPPER, top first"
                       + " (repeat); without any, every opaque directory keeps its marker.") List<Path> lowers)
            throws Exception {
        return store.run(() -> {
            Compression c = compress == null ? Compression.NONE : compress.gzip ? Compression.GZIP : Compression.ZSTD;
            Long clamp = epoch;
            if (clamp == null && System.getenv("SOURCE_DATE_EPOCH") != null) {
                clamp = Long.parseLong(System.getenv("SOURCE_DATE_EPOCH").trim());
            }
            Path upper;
            LowerView view = lowers == null || lowers.isEmpty() ? null : new LowerView(lowers);
            if (Files.isDirectory(Path.of(source))) {
                upper = Path.of(source);
            } else {
                Store s = store.open();
                ContainerStore cs = new ContainerStore(s);
                ImageInfo image = new ImageStore(s).get(cs.get(source).imageDigest());
                upper = cs.upper(source);
                view = new LowerView(LayerExport.lowerRoots(store.layers(s), image));
            }
            LayerExport export = new LayerExport(upper, view, new LayerExport.Options(c, clamp,
                    w -> store.err().println("jovl: warning: " + w), new ProgressLine(store.err(), "exporting")));
            LayerExport.Result r;
            if (output.equals("-")) {
                r = export.writeTo(System.out);
                System.out.flush();
            } else {
                Path target = Path.of(output).toAbsolutePath();
                Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
                try {
                    try (OutputStream o = Files.newOutputStream(tmp)) {
                        r = export.writeTo(o);
                    }
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(tmp);
                }
                if (c != Compression.NONE) {
                    store.out().println("blob: " + r.blobDigest());
                }
                store.out().println(r.diffId());
            }
            store.err().println("jovl: exported " + r.entries() + " entries, " + r.blobSize() + " bytes, DiffID "
                    + r.diffId());
            return 0;
        });
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            header = "Re-hash every blob and every unpacked layer; exit 1 if anything changed.")
    int verify() throws Exception {
        return store.run(() -> {
            Store s = store.open();
            LayerStore layers = store.layers(s);
            List<String> problems = new ArrayList<>(new Blobs(s).verify());
            problems.addAll(layers.verify());
            for (String p : problems) {
                store.err().println("jovl: " + p);
            }
            if (!problems.isEmpty()) {
                throw new StoreException(problems.size() + " problem(s) in the store " + s.root());
            }
            store.out().println("ok: " + layers.list().size() + " layers verified");
            return 0;
        });
    }
}
