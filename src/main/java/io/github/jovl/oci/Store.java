package io.github.jovl.oci;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FsException;
import io.github.jovl.sys.Native;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * The content-addressed store: where it lives, its staging area, its lock and its JSON. Everything is written
 * under tmp/ first and moved into place with one rename, so a crash never leaves a half-written object visible;
 * staging left by a dead process is removed when the store is next opened.
 * <pre>
 * ROOT/blobs/sha256/HEX                    manifests and configs, named by their digest
 * ROOT/layers/sha256/HEX/{root/,layer.json,tree}  one unpacked layer, named by its DiffID
 * ROOT/images/sha256/HEX/image.json        one image, named by its config digest (the image ID)
 * ROOT/containers/NAME/{upper/,work/,container.json}
 * ROOT/tmp/                                staging, same filesystem as the rest so rename is atomic
 * ROOT/lock                                flock held while the store's names change
 * </pre>
 */
public final class Store {
    private final Path root;
    private final ObjectMapper json = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Store(Path root) {
        this.root = root;
    }

    /** $XDG_DATA_HOME/jovl, or ~/.local/share/jovl when XDG_DATA_HOME is unset or not absolute (XDG spec). */
    public static Path defaultRoot() {
        String xdg = System.getenv("XDG_DATA_HOME");
        if (xdg != null && xdg.startsWith("/")) {
            return Path.of(xdg, "jovl");
        }
        return Path.of(System.getProperty("user.home"), ".local", "share", "jovl");
    }

    public static Store open(Path root) throws IOException {
        Path r = root.toAbsolutePath().normalize();
        for (String d : new String[] {"blobs/sha256", "layers/sha256", "images/sha256", "containers", "tmp"}) {
            Files.createDirectories(r.resolve(d));
        }
        Store s = new Store(r);
        s.removeStaleStaging();
        return s;
    }

    public Path root() {
        return root;
    }

    public ObjectMapper json() {
        return json;
    }

    public Path blobPath(Digest d) {
        return root.resolve("blobs/sha256").resolve(d.hex());
    }

    public Path layerDir(Digest diffId) {
        return root.resolve("layers/sha256").resolve(diffId.hex());
    }

    public Path imageDir(Digest id) {
        return root.resolve("images/sha256").resolve(id.hex());
    }

    public Path containersDir() {
        return root.resolve("containers");
    }

    /** A new staging directory, named after this process so a later open can tell whether its owner is gone. */
    public Path newStaging(String kind) throws IOException {
        return Files.createDirectory(root.resolve("tmp").resolve(ProcessHandle.current().pid() + "-" + kind + "-"
                + UUID.randomUUID()));
    }

    private void removeStaleStaging() throws IOException {
        try (var list = Files.list(root.resolve("tmp"))) {
            for (Path p : list.toList()) {
                String n = p.getFileName().toString();
                int dash = n.indexOf('-');
                long pid = dash > 0 ? parsePid(n.substring(0, dash)) : -1;
                if (pid < 0 || ProcessHandle.of(pid).isEmpty()) {
                    Trees.delete(p);
                }
            }
        }
    }

    private static long parsePid(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Work done under the store's lock. */
    @FunctionalInterface
    public interface LockedWork<T> {
        T run() throws IOException;
    }

    /** Runs body holding the store's lock (an flock, so it also excludes other jovl processes). */
    public <T> T locked(LockedWork<T> body) throws IOException {
        try (FileChannel ch = FileChannel.open(root.resolve("lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            FileLock l = ch.lock();
            try {
                return body.run();
            } finally {
                l.release();
            }
        }
    }

    /**
     * Moves a finished staging object into place with one rename that never replaces: false when the name is
     * taken already (the same content arrived first), and then the staging copy is deleted.
     */
    public boolean publish(Path staged, Path target) throws IOException {
        try {
            Native.rename(staged.toString(), target.toString(), Native.RENAME_NOREPLACE);
            return true;
        } catch (FsException e) {
            if (e.errno() == Errno.EEXIST || e.errno() == Errno.ENOTEMPTY) {
                Trees.delete(staged);
                return false;
            }
            throw e;
        }
    }

    /** Writes JSON to a staging file, syncs it, and renames it over target (metadata may be replaced). */
    public void writeJson(Path target, Object value) throws IOException {
        writeAtomically(target, json.writeValueAsBytes(value));
    }

    public void writeAtomically(Path target, byte[] data) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
            out.write(data);
            out.flush();
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    public <T> T readJson(Path file, Class<T> type) throws IOException {
        return json.readValue(file.toFile(), type);
    }
}
