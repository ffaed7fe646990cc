package io.github.jovl.oci;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Blobs (manifests, configs) by digest: streamed to staging, hashed on the way, synced, then renamed in. */
public final class Blobs {
    private final Store store;

    public Blobs(Store store) {
        this.store = store;
    }

    /**
     * Stores a blob. When expected is given, content with another digest is refused and nothing is stored.
     *
     * @param what names the blob in an error (an archive member or a manifest field)
     */
    public Digest put(InputStream in, Digest expected, String what) throws IOException {
        Path stage = store.newStaging("blob");
        try {
            Path tmp = stage.resolve("data");
            Digest d;
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(ch)) {
                CountingDigestStream hashing = new CountingDigestStream(in);
                hashing.transferTo(out);
                out.flush();
                ch.force(true);
                d = hashing.digest();
            }
            if (expected != null && !expected.equals(d)) {
                throw new BadArchiveException(what, "digest mismatch: expected " + expected + ", content is " + d);
            }
            Path target = store.blobPath(d);
            if (!Files.exists(target)) {
                store.publish(tmp, target);
            }
            return d;
        } finally {
            Trees.delete(stage);
        }
    }

    public Digest put(byte[] data, Digest expected, String what) throws IOException {
        return put(new java.io.ByteArrayInputStream(data), expected, what);
    }

    public byte[] read(Digest d) throws IOException {
        return Files.readAllBytes(store.blobPath(d));
    }

    public boolean exists(Digest d) {
        return Files.isRegularFile(store.blobPath(d));
    }

    /** Re-hashes every blob against its name; one line per blob whose content changed. */
    public java.util.List<String> verify() throws IOException {
        java.util.List<String> problems = new java.util.ArrayList<>();
        try (var list = Files.list(store.blobPath(new Digest("0".repeat(64))).getParent())) {
            for (Path p : list.sorted().toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                Digest actual = Digest.of(p);
                if (!actual.hex().equals(name)) {
                    problems.add("blob sha256:" + name + " has content " + actual);
                }
            }
        }
        return problems;
    }
}
