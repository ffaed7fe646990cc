package io.github.jovl.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Images by ID (config digest), with their name:tag references. */
public final class ImageStore {
    private final Store store;

    public ImageStore(Store store) {
        this.store = store;
    }

    /** "busybox" means "busybox:latest", as in Docker; a ':' after the last '/' is a tag, before it a port. */
    public static String normalizeName(String name) {
        int slash = name.lastIndexOf('/');
        return name.indexOf(':', slash + 1) < 0 ? name + ":latest" : name;
    }

    public List<ImageInfo> list() throws IOException {
        List<ImageInfo> out = new ArrayList<>();
        try (var s = Files.list(store.root().resolve("images/sha256"))) {
            for (Path p : s.sorted().toList()) {
                if (Files.isRegularFile(p.resolve("image.json"))) {
                    out.add(store.readJson(p.resolve("image.json"), ImageInfo.class));
                }
            }
        }
        return out;
    }

    public ImageInfo get(Digest id) throws IOException {
        return store.readJson(store.imageDir(id).resolve("image.json"), ImageInfo.class);
    }

    /** A name:tag, a full ID, or a unique prefix of an ID's hex (with or without "sha256:"). */
    public ImageInfo resolve(String ref) throws IOException {
        List<ImageInfo> all = list();
        String name = normalizeName(ref);
        // "demo:v3" also finds what skopeo names "docker.io/library/demo:v3", as docker's short names do
        List<String> candidates = List.of(name, "docker.io/" + name, "docker.io/library/" + name);
        for (String n : candidates) {
            for (ImageInfo i : all) {
                if (i.names().contains(n)) {
                    return i;
                }
            }
        }
        String hex = ref.startsWith(Digest.ALGORITHM + ":") ? ref.substring(Digest.ALGORITHM.length() + 1) : ref;
        List<ImageInfo> hits = new ArrayList<>();
        if (hex.matches("[0-9a-f]+")) {
            for (ImageInfo i : all) {
                if (i.digest().hex().startsWith(hex)) {
                    hits.add(i);
                }
            }
        }
        if (hits.size() != 1) {
            throw new StoreException(hits.isEmpty() ? "no image " + ref : "image ID prefix " + ref
                    + " is ambiguous (" + hits.size() + " images)");
        }
        return hits.get(0);
    }

    /**
     * Records an image whose blobs and layers are stored already, and gives it the names (taking each from
     * whichever image had it). Must be called under the store lock.
     */
    public ImageInfo add(ImageInfo image) throws IOException {
        List<String> names = image.names().stream().map(ImageStore::normalizeName).distinct().toList();
        for (ImageInfo other : list()) {
            if (!other.id().equals(image.id()) && other.names().stream().anyMatch(names::contains)) {
                List<String> kept = new ArrayList<>(other.names());
                kept.removeAll(names);
                store.writeJson(store.imageDir(other.digest()).resolve("image.json"), other.withNames(kept));
            }
        }
        Path dir = store.imageDir(image.digest());
        ImageInfo merged = image.withNames(names);
        if (Files.isRegularFile(dir.resolve("image.json"))) {
            List<String> all = new ArrayList<>(get(image.digest()).names());
            names.stream().filter(n -> !all.contains(n)).forEach(all::add);
            merged = get(image.digest()).withNames(all);
        }
        Files.createDirectories(dir);
        store.writeJson(dir.resolve("image.json"), merged);
        return merged;
    }

    /** Removes an image's record; its layers and blobs stay until removed on their own. */
    public void remove(Digest id) throws IOException {
        Path dir = store.imageDir(id);
        Path trash = store.newStaging("rm");
        Files.move(dir, trash.resolve("image"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Trees.delete(trash);
    }

    /** The images that stack a layer, by their first name or short ID. */
    public List<String> usersOf(Digest diffId) throws IOException {
        List<String> users = new ArrayList<>();
        for (ImageInfo i : list()) {
            if (i.layers().contains(diffId.toString())) {
                users.add(i.names().isEmpty() ? "image " + i.digest().shortHex() : "image " + i.names().get(0));
            }
        }
        return users;
    }
}
