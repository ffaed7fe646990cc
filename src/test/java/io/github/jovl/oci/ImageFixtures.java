package io.github.jovl.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Small images in the two formats jovl imports, built from layer tars. */
final class ImageFixtures {
    static final ObjectMapper JSON = new ObjectMapper();

    private ImageFixtures() {
    }

    static List<byte[]> twoLayers() throws IOException {
        byte[] base = new TarBuilder().dir("etc").file("etc/os", "base").dir("d").file("d/a", "a").file("gone", "g")
                .build();
        byte[] top = new TarBuilder().whiteout(".wh.gone").dir("d").whiteout("d/.wh..wh..opq").file("d/b", "b")
                .build();
        return List.of(base, top);
    }

    static byte[] config(List<byte[]> layers) throws IOException {
        ObjectNode c = JSON.createObjectNode();
        c.put("architecture", "amd64").put("os", "linux");
        c.putObject("config").putArray("Cmd").add("/bin/sh");
        ObjectNode rootfs = c.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        for (byte[] l : layers) {
            ids.add(Digest.of(l).toString());
        }
        return JSON.writeValueAsBytes(c);
    }

    /** A `docker save` layout: manifest.json, HEX.json config, HEX/layer.tar per layer. */
    static Path dockerArchive(Path dir, List<byte[]> layers, String tag) throws IOException {
        Path d = Files.createDirectories(dir);
        byte[] config = config(layers);
        Files.write(d.resolve(Digest.of(config).hex() + ".json"), config);
        ArrayNode m = JSON.createArrayNode();
        ObjectNode item = m.addObject();
        item.put("Config", Digest.of(config).hex() + ".json");
        item.putArray("RepoTags").add(tag);
        ArrayNode ls = item.putArray("Layers");
        for (byte[] l : layers) {
            String name = Digest.of(l).hex() + "/layer.tar";
            Files.createDirectories(d.resolve(name).getParent());
            Files.write(d.resolve(name), l);
            ls.add(name);
        }
        Files.write(d.resolve("manifest.json"), JSON.writeValueAsBytes(m));
        return d;
    }

    /** An OCI image layout with gzip layers and the tag as its ref.name. */
    static Path ociLayout(Path dir, List<byte[]> layers, String ref) throws IOException {
        Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        byte[] config = config(layers);
        Files.write(blobs.resolve(Digest.of(config).hex()), config);
        ObjectNode man = JSON.createObjectNode();
        man.put("schemaVersion", 2).put("mediaType", ImageImporter.OCI_MANIFEST);
        man.putObject("config").put("mediaType", ImageImporter.OCI_CONFIG).put("digest", Digest.of(config).toString())
                .put("size", config.length);
        ArrayNode ls = man.putArray("layers");
        for (byte[] l : layers) {
            byte[] gz = HostileLayers.compress(Compression.GZIP, l);
            Files.write(blobs.resolve(Digest.of(gz).hex()), gz);
            ls.addObject().put("mediaType", Compression.GZIP.mediaType()).put("digest", Digest.of(gz).toString())
                    .put("size", gz.length);
        }
        byte[] manifest = JSON.writeValueAsBytes(man);
        Files.write(blobs.resolve(Digest.of(manifest).hex()), manifest);
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        ObjectNode d = index.putArray("manifests").addObject();
        d.put("mediaType", ImageImporter.OCI_MANIFEST).put("digest", Digest.of(manifest).toString())
                .put("size", manifest.length);
        d.putObject("annotations").put("org.opencontainers.image.ref.name", ref);
        Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(index));
        return dir;
    }

    /** Tars a directory (files and directories), as `docker save` or an OCI archive would be. */
    static Path tar(Path dir, Path file) throws IOException {
        try (OutputStream o = Files.newOutputStream(file); TarArchiveOutputStream t = new TarArchiveOutputStream(o)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            try (var s = Files.walk(dir)) {
                for (Path p : s.sorted().toList()) {
                    if (p.equals(dir)) {
                        continue;
                    }
                    TarArchiveEntry e = new TarArchiveEntry(p.toFile(), dir.relativize(p).toString());
                    t.putArchiveEntry(e);
                    if (Files.isRegularFile(p)) {
                        Files.copy(p, t);
                    }
                    t.closeArchiveEntry();
                }
            }
        }
        return file;
    }
}
