package io.github.jovl.oci;

import io.github.jovl.fs.FsException;
import io.github.jovl.sys.Native;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Unpacked layers by DiffID. An import unpacks into staging, checks the digests, records the tree listing, and
 * only then renames the whole directory into place: a layer that is visible is complete and verified. A layer
 * imported twice is stored once.
 */
public final class LayerStore {
    private final Store store;
    private final UnpackOptions options;
    private Progress progress = Progress.NONE;

    public LayerStore(Store store, Consumer<String> warnings) throws IOException {
        this.store = store;
        this.options = UnpackOptions.forCurrentUser(userXattrsWork(store), warnings);
    }

    /** Whether the store's filesystem takes user.* xattrs (for opaque markers of non-root imports). */
    private static boolean userXattrsWork(Store store) throws IOException {
        Path stage = store.newStaging("probe");
        try {
            Path f = Files.createFile(stage.resolve("x"));
            Native.setxattr(f.toString(), "user.jovl.probe", new byte[] {1}, 0);
            return true;
        } catch (FsException e) {
            return false;
        } finally {
            Trees.delete(stage);
        }
    }

    /** Where imports report how far they have got. */
    public void setProgress(Progress p) {
        this.progress = p;
    }

    public UnpackOptions options() {
        return options;
    }

    /**
     * Imports a layer blob (tar, tar+gzip or tar+zstd).
     *
     * @param expectedBlob   the digest a manifest gives for the blob, or null
     * @param expectedDiffId the DiffID an image config gives, or null
     * @param what           names the blob in errors (a file or archive member)
     */
    public LayerInfo importLayer(InputStream blob, Digest expectedBlob, Digest expectedDiffId, String what)
            throws IOException {
        Path stage = store.newStaging("layer");
        try {
            Path root = Files.createDirectory(stage.resolve("root"));
            LayerImport.Result r = LayerImport.unpack(blob, root, options, progress);
            if (expectedBlob != null && !expectedBlob.equals(r.blobDigest())) {
                throw new BadArchiveException(what, "digest mismatch: expected " + expectedBlob + ", content is "
                        + r.blobDigest());
            }
            if (expectedDiffId != null && !expectedDiffId.equals(r.diffId())) {
                throw new BadArchiveException(what, "DiffID mismatch: the config says " + expectedDiffId
                        + ", the tar is " + r.diffId());
            }
            List<String> tree = new TreeListing(root, true).lines();
            Files.write(stage.resolve("tree"), (String.join("\n", tree) + "\n").getBytes(StandardCharsets.UTF_8));
            List<String> blobs = r.compression() == Compression.NONE ? List.of()
                    : List.of(r.blobDigest().toString());
            LayerInfo info = new LayerInfo(r.diffId().toString(), r.tarSize(), r.entries(), blobs,
                    TreeListing.digest(tree).toString(), options.markers().chardevWhiteouts() ? "chardev" : "file",
                    Instant.now().toString());
            store.writeJson(stage.resolve("layer.json"), info);
            return store.locked(() -> store.publish(stage, store.layerDir(r.diffId())) ? info
                    : rememberBlob(r.diffId(), blobs));
        } finally {
            Trees.delete(stage);
        }
    }

    /** The layer already stored: record the compressed digest that also unpacks to it. */
    private LayerInfo rememberBlob(Digest diffId, List<String> blobs) throws IOException {
        LayerInfo old = get(diffId);
        if (blobs.isEmpty() || old.blobDigests().containsAll(blobs)) {
            return old;
        }
        List<String> all = new ArrayList<>(old.blobDigests());
        all.addAll(blobs);
        LayerInfo updated = new LayerInfo(old.diffId(), old.size(), old.entries(), all, old.treeDigest(),
                old.whiteouts(), old.created());
        store.writeJson(store.layerDir(diffId).resolve("layer.json"), updated);
        return updated;
    }

    public boolean exists(Digest diffId) {
        return Files.isRegularFile(store.layerDir(diffId).resolve("layer.json"));
    }

    public LayerInfo get(Digest diffId) throws IOException {
        return store.readJson(store.layerDir(diffId).resolve("layer.json"), LayerInfo.class);
    }

    /** The directory to stack as a lower layer. */
    public Path rootOf(Digest diffId) {
        return store.layerDir(diffId).resolve("root");
    }

    public Optional<LayerInfo> findByBlobDigest(Digest blob) throws IOException {
        for (LayerInfo l : list()) {
            if (l.diffId().equals(blob.toString()) || l.blobDigests().contains(blob.toString())) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    public List<LayerInfo> list() throws IOException {
        List<LayerInfo> out = new ArrayList<>();
        try (var s = Files.list(store.root().resolve("layers/sha256"))) {
            for (Path p : s.sorted().toList()) {
                if (Files.isRegularFile(p.resolve("layer.json"))) {
                    out.add(store.readJson(p.resolve("layer.json"), LayerInfo.class));
                }
            }
        }
        return out;
    }

    /** A full DiffID, or a unique prefix of its hex (with or without "sha256:"). */
    public Digest resolve(String ref) throws IOException {
        String hex = ref.startsWith(Digest.ALGORITHM + ":") ? ref.substring(Digest.ALGORITHM.length() + 1) : ref;
        List<Digest> hits = new ArrayList<>();
        for (LayerInfo l : list()) {
            if (l.digest().hex().startsWith(hex) && !hex.isEmpty()) {
                hits.add(l.digest());
            }
        }
        if (hits.size() != 1) {
            throw new StoreException(hits.isEmpty() ? "no layer " + ref : "layer " + ref + " is ambiguous ("
                    + hits.size() + " layers)");
        }
        return hits.get(0);
    }

    /** Removes a layer: staged out of sight with one rename first, so a crash never leaves half a layer. */
    public void remove(Digest diffId, List<String> users) throws IOException {
        if (!users.isEmpty()) {
            throw new StoreException("layer " + diffId + " is used by " + String.join(", ", users));
        }
        Path dir = store.layerDir(diffId);
        if (!Files.exists(dir)) {
            throw new StoreException("no layer " + diffId);
        }
        Path trash = store.newStaging("rm");
        Files.move(dir, trash.resolve("layer"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Trees.delete(trash);
    }

    /** Re-hashes every layer's tree against its listing; returns one line per problem. */
    public List<String> verify() throws IOException {
        List<String> problems = new ArrayList<>();
        for (LayerInfo l : list()) {
            Path dir = store.layerDir(l.digest());
            List<String> now = new TreeListing(dir.resolve("root"), true).lines();
            if (!TreeListing.digest(now).toString().equals(l.treeDigest())) {
                List<String> then = Files.readAllLines(dir.resolve("tree"), StandardCharsets.UTF_8);
                problems.add("layer " + l.diffId() + ": " + firstDifference(then, now));
            }
        }
        return problems;
    }

    private static String firstDifference(List<String> then, List<String> now) {
        for (int i = 0; i < Math.max(then.size(), now.size()); i++) {
            String a = i < then.size() ? then.get(i) : null;
            String b = i < now.size() ? now.get(i) : null;
            if (a == null || !a.equals(b)) {
                String path = (a != null ? a : b).split(" ", 2)[0];
                return "changed at " + path + (a == null ? " (added)" : b == null ? " (removed)" : "");
            }
        }
        return "the listing file itself was changed";
    }
}
