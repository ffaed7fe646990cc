package io.github.jovl.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jovl.oci.Blobs;
import io.github.jovl.oci.ContainerInfo;
import io.github.jovl.oci.ContainerStore;
import io.github.jovl.oci.Digest;
import io.github.jovl.oci.ImageImporter;
import io.github.jovl.oci.ImageInfo;
import io.github.jovl.oci.ImageStore;
import io.github.jovl.oci.LayerExport;
import io.github.jovl.oci.LayerStore;
import io.github.jovl.oci.Store;
import io.github.jovl.oci.StoreException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** jovl image import|ls|inspect|rm|mount|umount: images in the store, and containers mounted from them. */
@Command(name = "image", mixinStandardHelpOptions = true, versionProvider = Version.class,
        header = "Import, list, inspect, remove and mount container images.",
        description = {"", "IMAGE is an image ID (sha256:HEX, the digest of its config), a unique prefix of the"
                + " ID, or a NAME:TAG (NAME alone means NAME:latest).", ""})
final class ImageCommand {
    @Mixin
    StoreOption store;

    @Command(name = "import", mixinStandardHelpOptions = true,
            header = "Import a `docker save` tarball, an OCI image layout directory or an OCI archive.",
            description = {"", "Every digest is checked against the manifest and config. Prints the image ID as"
                    + " the last line (one line per image when the source holds several).", ""})
    int importImage(@Parameters(paramLabel = "FILE|DIR") Path source,
                    @Option(names = "--ref", paramLabel = "NAME", description = "Only the image with this OCI"
                            + " ref.name or docker tag.") String ref,
                    @Option(names = "--tag", paramLabel = "NAME:TAG", description = "Also name the image so.")
                    String tag) throws Exception {
        return store.run(() -> {
            Store s = store.open();
            LayerStore layers = store.layers(s);
            List<ImageInfo> imported = new ImageImporter(s, layers, m -> {
                store.err().println("jovl: " + m);
                store.err().flush();
            }).importFrom(source, ref, tag);
            for (ImageInfo i : imported) {
                if (!i.names().isEmpty()) {
                    store.err().println("jovl: imported " + String.join(", ", i.names()));
                }
                store.out().println(i.id());
            }
            return 0;
        });
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, header = "List images: ID, layers, names.")
    int ls() throws Exception {
        return store.run(() -> {
            for (ImageInfo i : new ImageStore(store.open()).list()) {
                store.out().printf("%s  %2d layers  %s%n", i.digest().shortHex(), i.layers().size(),
                        i.names().isEmpty() ? "<none>" : String.join(", ", i.names()));
            }
            return 0;
        });
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            header = "Print an image's record, manifest and config as JSON.")
    int inspect(@Parameters(paramLabel = "IMAGE") String ref) throws Exception {
        return store.run(() -> {
            Store s = store.open();
            ImageInfo i = new ImageStore(s).resolve(ref);
            Blobs blobs = new Blobs(s);
            ObjectNode o = s.json().valueToTree(i);
            o.set("manifest", s.json().readTree(blobs.read(Digest.parse(i.manifestDigest()))));
            o.set("config", s.json().readTree(blobs.read(i.digest())));
            store.out().println(s.json().writeValueAsString(o));
            return 0;
        });
    }

    @Command(name = "rm", mixinStandardHelpOptions = true,
            header = "Remove images (their layers stay until `jovl layer rm`); refused while a container uses one.")
    int rm(@Parameters(paramLabel = "IMAGE", arity = "1..*") List<String> refs,
           @Option(names = {"-f", "--force"}, description = "Also remove the image's containers and their"
                   + " changes (unmount them first).") boolean force) throws Exception {
        return store.run(() -> {
            Store s = store.open();
            ImageStore images = new ImageStore(s);
            ContainerStore containers = new ContainerStore(s);
            s.locked(() -> {
                for (String ref : refs) {
                    ImageInfo i = images.resolve(ref);
                    List<ContainerInfo> users = containers.of(i.digest());
                    if (!users.isEmpty() && !force) {
                        throw new StoreException("image " + ref + " is used by container(s) "
                                + String.join(", ", users.stream().map(ContainerInfo::name).toList())
                                + "; use --force to remove them too");
                    }
                    for (ContainerInfo c : users) {
                        containers.remove(c.name());
                    }
                    images.remove(i.digest());
                    store.out().println(i.id());
                }
                return null;
            });
            return 0;
        });
    }

    @Command(name = "mount", mixinStandardHelpOptions = true,
            header = "Mount an image's layers with a container's upper and work directories on MOUNTPOINT.",
            description = {"", "Creates the container (or reuses it, with --name) in the store, then runs"
                    + " `jovl mount` with the image's layers as lowers, top first. Prints the container's name.",
                    ""})
    int mount(@Parameters(index = "0", paramLabel = "IMAGE") String ref,
              @Parameters(index = "1", paramLabel = "MOUNTPOINT") Path mountpoint,
              @Option(names = "--name", paramLabel = "C", description = "The container: made if missing,"
                      + " reused if it exists (then it must be of this image).") String name) throws Exception {
        return store.run(() -> {
            Store s = store.open();
            ImageInfo image = new ImageStore(s).resolve(ref);
            if (image.layers().isEmpty()) {
                throw new StoreException("image " + ref + " has no layers to mount");
            }
            ContainerStore containers = new ContainerStore(s);
            ContainerInfo c = containers.createOrReuse(name, image);
            LayerStore layers = store.layers(s);
            List<String> lowers = new ArrayList<>();
            for (Path p : LayerExport.lowerRoots(layers, image)) {
                lowers.add(escape(p.toString()));
            }
            String options = "lowerdir=" + String.join(":", lowers) + ",upperdir="
                    + escape(containers.upper(c.name()).toString()) + ",workdir="
                    + escape(containers.work(c.name()).toString());
            int rc = runJovl(List.of("mount", "-o", options, mountpoint.toAbsolutePath().toString()));
            if (rc == 0) {
                store.out().println(c.name());
            }
            return rc;
        });
    }

    @Command(name = "umount", aliases = "unmount", mixinStandardHelpOptions = true,
            header = "Unmount an image mounted with `jovl image mount` (the container and its changes stay).")
    int umount(@Parameters(paramLabel = "MOUNTPOINT") Path mountpoint) throws Exception {
        return store.run(() -> runJovl(List.of("umount", mountpoint.toAbsolutePath().toString())));
    }

    /** The mount option syntax escapes ':' ',' and '\' in paths with a backslash, as the kernel parses them. */
    static String escape(String path) {
        return path.replace("\\", "\\\\").replace(":", "\\:").replace(",", "\\,");
    }

    /**
     * Runs `jovl ARGS` in a new JVM from the same class path (the jar of this run), so the mount's daemon
     * belongs to `jovl mount` exactly as when a user runs it; its output passes through.
     */
    private int runJovl(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        Thread copyErr = new Thread(() -> copy(p.getErrorStream(), store.err()));
        copyErr.start();
        copy(p.getInputStream(), store.out());
        int rc = p.waitFor();
        copyErr.join();
        return rc;
    }

    private static void copy(java.io.InputStream in, PrintWriter to) {
        try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(in,
                java.nio.charset.StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (to) {
                    to.println(line);
                    to.flush();
                }
            }
        } catch (java.io.IOException e) {
            // the child is gone; its exit status tells the rest
        }
    }
}
