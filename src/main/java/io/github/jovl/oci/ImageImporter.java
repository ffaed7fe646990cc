package io.github.jovl.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Imports images from a `docker save` tarball, an OCI image-layout directory or an OCI archive (a tar of a
 * layout). Every digest is checked: manifests and configs against their descriptors, layer blobs against the
 * manifest and their tars against the config's DiffIDs. If anything is refused, the layers this import added
 * are removed again, so a failed import leaves the store as it was.
 */
public final class ImageImporter {
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    private static final String REF_NAME = "org.opencontainers.image.ref.name";
    private static final Pattern BLOB_NAME = Pattern.compile("(?:.*/)?(?:blobs/sha256/)?([0-9a-f]{64})(?:\\.json)?");

    private final Store store;
    private final Blobs blobs;
    private final LayerStore layers;
    private final ImageStore images;
    private final Consumer<String> log;
    private final List<Digest> addedLayers = new ArrayList<>();

    public ImageImporter(Store store, LayerStore layers, Consumer<String> log) {
        this.store = store;
        this.blobs = new Blobs(store);
        this.layers = layers;
        this.images = new ImageStore(store);
        this.log = log;
    }

    /**
     * @param ref  with several images in the source, import only this one (OCI ref.name or a docker RepoTag)
     * @param tag  a further name:tag for the imported image
     */
    public List<ImageInfo> importFrom(Path source, String ref, String tag) throws IOException {
        addedLayers.clear();
        try {
            if (Files.isDirectory(source)) {
                return importDir(source, source.toAbsolutePath().normalize().getFileName().toString(), ref, tag);
            }
            Path stage = store.newStaging("image");
            try {
                try (InputStream in = Files.newInputStream(source)) {
                    ArchiveExtractor.extract(in, stage);
                }
                String base = source.getFileName().toString().replaceFirst("\\.(tar|tar\\.gz|tgz|tar\\.zst)$", "");
                return importDir(stage, base, ref, tag);
            } finally {
                Trees.delete(stage);
            }
        } catch (IOException | RuntimeException e) {
            undo();
            throw e;
        }
    }

    /** Removes layers this import published that no image uses (another import may have taken them since). */
    private void undo() throws IOException {
        store.locked(() -> {
            for (Digest d : addedLayers) {
                if (images.usersOf(d).isEmpty() && layers.exists(d)) {
                    layers.remove(d, List.of());
                }
            }
            return null;
        });
    }

    private List<ImageInfo> importDir(Path dir, String baseName, String ref, String tag) throws IOException {
        if (Files.isRegularFile(dir.resolve("oci-layout"))) {
            return importLayout(dir, baseName, ref, tag);
        }
        if (Files.isRegularFile(dir.resolve("manifest.json"))) {
            return importDockerArchive(dir, ref, tag);
        }
        throw new BadArchiveException(null, "neither an OCI image layout (oci-layout) nor a docker save archive"
                + " (manifest.json)");
    }

    // ---- OCI image layout ----

    private List<ImageInfo> importLayout(Path dir, String baseName, String ref, String tag) throws IOException {
        JsonNode layout = parse(Files.readAllBytes(dir.resolve("oci-layout")), "oci-layout");
        if (!layout.path("imageLayoutVersion").asText().startsWith("1.")) {
            throw new BadArchiveException("oci-layout", "unsupported imageLayoutVersion "
                    + layout.path("imageLayoutVersion"));
        }
        JsonNode index = parse(Files.readAllBytes(ArchiveExtractor.member(dir, "index.json")), "index.json");
        List<JsonNode> chosen = new ArrayList<>();
        List<String> refs = new ArrayList<>();
        for (JsonNode d : index.path("manifests")) {
            String name = d.path("annotations").path(REF_NAME).asText(null);
            refs.add(name);
            if (ref == null || ref.equals(name)) {
                chosen.add(d);
            }
        }
        if (chosen.isEmpty()) {
            throw new BadArchiveException("index.json", ref == null ? "no manifests" : "no manifest named " + ref
                    + " (names: " + refs + ")");
        }
        List<ImageInfo> out = new ArrayList<>();
        for (JsonNode d : chosen) {
            String refName = d.path("annotations").path(REF_NAME).asText(null);
            // docker 25+ saves an OCI layout too, with the full name in containerd's annotation
            String fullName = d.path("annotations").path("io.containerd.image.name").asText(null);
            List<String> names = new ArrayList<>();
            if (fullName != null) {
                names.add(fullName);
            } else if (refName != null) {
                // umoci and skopeo write just the tag here; a full name:tag is kept as it is
                names.add(refName.contains(":") || refName.contains("/") ? refName : baseName + ":" + refName);
            }
            if (tag != null) {
                names.add(tag);
            }
            out.add(importOciManifest(dir, platformManifest(dir, d), names));
        }
        return out;
    }

    /** An index (multi-platform image) is resolved to the manifest for this machine. */
    private JsonNode platformManifest(Path dir, JsonNode d) throws IOException {
        String mt = d.path("mediaType").asText();
        if (!mt.equals(OCI_INDEX) && !mt.equals(DOCKER_LIST)) {
            return d;
        }
        JsonNode idx = parse(readVerified(dir, d, "index"), "index " + d.path("digest").asText());
        String arch = goArch();
        for (JsonNode m : idx.path("manifests")) {
            JsonNode p = m.path("platform");
            if (p.path("os").asText().equals("linux") && p.path("architecture").asText().equals(arch)) {
                return platformManifest(dir, m);
            }
        }
        throw new BadArchiveException("index " + d.path("digest").asText(), "no manifest for linux/" + arch);
    }

    static String goArch() {
        String a = System.getProperty("os.arch");
        return switch (a) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> a;
        };
    }

    private ImageInfo importOciManifest(Path dir, JsonNode desc, List<String> names) throws IOException {
        String what = "manifest " + desc.path("digest").asText();
        byte[] manifestBytes = readVerified(dir, desc, "manifest");
        JsonNode manifest = parse(manifestBytes, what);
        JsonNode configDesc = manifest.path("config");
        byte[] configBytes = readVerified(dir, configDesc, "config");
        List<Digest> diffIds = diffIds(configBytes, "config " + configDesc.path("digest").asText());
        JsonNode layerDescs = manifest.path("layers");
        if (layerDescs.size() != diffIds.size()) {
            throw new BadArchiveException(what, "lists " + layerDescs.size() + " layers, its config "
                    + diffIds.size() + " DiffIDs");
        }
        for (int i = 0; i < diffIds.size(); i++) {
            JsonNode l = layerDescs.get(i);
            Digest blob = Digest.parse(l.path("digest").asText(null));
            if (layers.exists(diffIds.get(i)) && (blob.equals(diffIds.get(i))
                    || layers.get(diffIds.get(i)).blobDigests().contains(blob.toString()))) {
                log.accept("layer " + diffIds.get(i).shortHex() + " already stored");
                continue;
            }
            Path file = ArchiveExtractor.member(dir, "blobs/sha256/" + blob.hex());
            checkSize(l, file, "layer " + blob);
            importLayer(file, blob, diffIds.get(i), "layer " + blob);
        }
        return record(manifestBytes, Digest.parse(desc.path("digest").asText()), configBytes,
                Digest.parse(configDesc.path("digest").asText()), diffIds, names, "oci");
    }

    /** A blob named by a descriptor, checked against the descriptor's digest and size. */
    private static byte[] readVerified(Path dir, JsonNode desc, String kind) throws IOException {
        Digest d = Digest.parse(desc.path("digest").asText(null));
        Path file = ArchiveExtractor.member(dir, "blobs/sha256/" + d.hex());
        checkSize(desc, file, kind + " " + d);
        if (Files.size(file) > 4 << 20) {
            throw new BadArchiveException(kind + " " + d, "larger than 4 MiB");
        }
        byte[] data = Files.readAllBytes(file);
        Digest actual = Digest.of(data);
        if (!actual.equals(d)) {
            throw new BadArchiveException(kind + " " + d, "digest mismatch: content is " + actual);
        }
        return data;
    }

    private static void checkSize(JsonNode desc, Path file, String what) throws IOException {
        if (desc.has("size") && desc.path("size").asLong(-1) != Files.size(file)) {
            throw new BadArchiveException(what, "size mismatch: descriptor says " + desc.path("size").asLong()
                    + ", blob has " + Files.size(file));
        }
    }

    // ---- docker save ----

    private List<ImageInfo> importDockerArchive(Path dir, String ref, String tag) throws IOException {
        JsonNode manifest = parse(Files.readAllBytes(ArchiveExtractor.member(dir, "manifest.json")), "manifest.json");
        List<ImageInfo> out = new ArrayList<>();
        for (JsonNode item : manifest) {
            List<String> names = new ArrayList<>();
            item.path("RepoTags").forEach(t -> names.add(t.asText()));
            if (ref != null && !names.contains(ImageStore.normalizeName(ref))) {
                continue;
            }
            if (tag != null) {
                names.add(tag);
            }
            String configName = item.path("Config").asText(null);
            if (configName == null) {
                throw new BadArchiveException("manifest.json", "an image without Config");
            }
            byte[] configBytes = Files.readAllBytes(ArchiveExtractor.member(dir, configName));
            Digest configDigest = Digest.of(configBytes);
            checkNamedDigest(configName, configDigest);
            List<Digest> diffIds = diffIds(configBytes, configName);
            JsonNode layerNames = item.path("Layers");
            if (layerNames.size() != diffIds.size()) {
                throw new BadArchiveException("manifest.json", "lists " + layerNames.size() + " layers, config "
                        + configName + " " + diffIds.size() + " DiffIDs");
            }
            ObjectNode oci = store.json().createObjectNode();
            oci.put("schemaVersion", 2).put("mediaType", OCI_MANIFEST);
            oci.putObject("config").put("mediaType", OCI_CONFIG).put("digest", configDigest.toString())
                    .put("size", configBytes.length);
            ArrayNode ls = oci.putArray("layers");
            for (int i = 0; i < diffIds.size(); i++) {
                String member = layerNames.get(i).asText();
                Path file = ArchiveExtractor.member(dir, member);
                Matcher m = BLOB_NAME.matcher(member);
                Digest named = m.matches() && member.contains("blobs/sha256/") ? new Digest(m.group(1)) : null;
                long size;
                if (layers.exists(diffIds.get(i))) {
                    log.accept("layer " + diffIds.get(i).shortHex() + " already stored");
                    size = layers.get(diffIds.get(i)).size();
                } else {
                    size = importLayer(file, named, diffIds.get(i), member).size();
                }
                // the manifest of a docker archive has no digests of its own: describe the uncompressed layers
                ls.addObject().put("mediaType", Compression.NONE.mediaType()).put("digest", diffIds.get(i).toString())
                        .put("size", size);
            }
            byte[] manifestBytes = store.json().writeValueAsBytes(oci);
            out.add(record(manifestBytes, Digest.of(manifestBytes), configBytes, configDigest, diffIds, names,
                    "docker-archive"));
        }
        if (out.isEmpty()) {
            throw new BadArchiveException("manifest.json", ref == null ? "no images" : "no image tagged " + ref);
        }
        return out;
    }

    /** Docker names configs (and newer docker all blobs) after their digest: the name must then match. */
    private static void checkNamedDigest(String member, Digest actual) throws BadArchiveException {
        Matcher m = BLOB_NAME.matcher(member);
        if (m.matches() && !m.group(1).equals(actual.hex())) {
            throw new BadArchiveException(member, "digest mismatch: named " + m.group(1) + ", content is " + actual);
        }
    }

    // ---- shared ----

    private LayerInfo importLayer(Path file, Digest blob, Digest diffId, String what) throws IOException {
        boolean had = layers.exists(diffId);
        log.accept("importing layer " + diffId.shortHex() + " (" + Files.size(file) + " bytes)");
        LayerInfo info;
        try (InputStream in = Files.newInputStream(file)) {
            info = layers.importLayer(in, blob, diffId, what);
        }
        if (!had) {
            addedLayers.add(diffId);
        }
        return info;
    }

    private List<Digest> diffIds(byte[] config, String what) throws IOException {
        JsonNode c = parse(config, what);
        JsonNode ids = c.path("rootfs").path("diff_ids");
        if (!ids.isArray()) {
            throw new BadArchiveException(what, "no rootfs.diff_ids");
        }
        List<Digest> out = new ArrayList<>();
        for (JsonNode id : ids) {
            out.add(Digest.parse(id.asText(null)));
        }
        return out;
    }

    private ImageInfo record(byte[] manifest, Digest manifestDigest, byte[] config, Digest configDigest,
                             List<Digest> diffIds, List<String> names, String source) throws IOException {
        blobs.put(config, configDigest, "config");
        blobs.put(manifest, manifestDigest, "manifest");
        ImageInfo info = new ImageInfo(configDigest.toString(), manifestDigest.toString(),
                diffIds.stream().map(Digest::toString).toList(), names, Instant.now().toString(), source);
        return store.locked(() -> images.add(info));
    }

    private JsonNode parse(byte[] data, String what) throws BadArchiveException {
        try {
            return store.json().readTree(data);
        } catch (IOException e) {
            throw new BadArchiveException(what, "invalid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
