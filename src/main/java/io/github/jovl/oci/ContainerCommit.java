package io.github.jovl.oci;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Stores a container's changes as a new layer on top of its image, and records a new image: the old config with
 * one more DiffID and history entry, and a manifest with one more layer.
 */
public final class ContainerCommit {
    private final Store store;
    private final LayerStore layers;
    private final Consumer<String> warnings;

    public ContainerCommit(Store store, LayerStore layers, Consumer<String> warnings) {
        this.store = store;
        this.layers = layers;
        this.warnings = warnings;
    }

    /** @param sourceDateEpoch clamps mtimes and sets the config's created time, for reproducible images */
    public ImageInfo commit(String container, String tag, Long sourceDateEpoch) throws IOException {
        ContainerStore containers = new ContainerStore(store);
        ImageStore images = new ImageStore(store);
        Blobs blobs = new Blobs(store);
        ContainerInfo c = containers.get(container);
        ImageInfo base = images.get(c.imageDigest());
        Path stage = store.newStaging("commit");
        try {
            Path tar = stage.resolve("layer.tar");
            LayerExport.Result r;
            try (OutputStream out = Files.newOutputStream(tar)) {
                r = new LayerExport(containers.upper(container), new LowerView(LayerExport.lowerRoots(layers, base)),
                        new LayerExport.Options(Compression.NONE, sourceDateEpoch, warnings)).writeTo(out);
            }
            try (InputStream in = Files.newInputStream(tar)) {
                layers.importLayer(in, r.diffId(), r.diffId(), "commit of " + container);
            }
            String created = sourceDateEpoch != null ? Instant.ofEpochSecond(sourceDateEpoch).toString()
                    : Instant.now().toString();
            ObjectNode config = (ObjectNode) store.json().readTree(blobs.read(base.digest()));
            config.put("created", created);
            config.withArray("/rootfs/diff_ids").add(r.diffId().toString());
            config.withArray("/history").addObject().put("created", created)
                    .put("created_by", "jovl commit " + container);
            byte[] configBytes = store.json().writeValueAsBytes(config);
            Digest configDigest = blobs.put(configBytes, null, "config");
            ObjectNode manifest = (ObjectNode) store.json().readTree(blobs.read(Digest.parse(base.manifestDigest())));
            manifest.putObject("config").put("mediaType", ImageImporter.OCI_CONFIG)
                    .put("digest", configDigest.toString()).put("size", configBytes.length);
            manifest.withArray("/layers").addObject().put("mediaType", Compression.NONE.mediaType())
                    .put("digest", r.diffId().toString()).put("size", r.tarSize());
            manifest.put("mediaType", ImageImporter.OCI_MANIFEST);
            byte[] manifestBytes = store.json().writeValueAsBytes(manifest);
            Digest manifestDigest = blobs.put(manifestBytes, null, "manifest");
            List<String> ids = new ArrayList<>(base.layers());
            ids.add(r.diffId().toString());
            ImageInfo info = new ImageInfo(configDigest.toString(), manifestDigest.toString(), ids,
                    tag == null ? List.of() : List.of(tag), Instant.now().toString(), "commit");
            return store.locked(() -> images.add(info));
        } finally {
            Trees.delete(stage);
        }
    }
}
