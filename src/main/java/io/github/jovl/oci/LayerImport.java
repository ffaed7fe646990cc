package io.github.jovl.oci;

import io.github.jovl.layer.Layer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * One pass over a layer blob: detect the compression, unpack the tar into an empty directory, and hash both the
 * blob as given (its digest in a manifest) and the tar inside it (its DiffID).
 */
public final class LayerImport {
    private LayerImport() {
    }

    /** What one unpack produced. */
    public record Result(Digest blobDigest, long blobSize, Digest diffId, long tarSize, Compression compression,
                         long entries, long skipped) {
    }

    /**
     * Unpacks blob into dir (which must exist and be empty). On any error dir is left half-written: the caller
     * unpacks into a staging directory and removes it.
     */
    public static Result unpack(InputStream blob, Path dir, UnpackOptions options) throws IOException {
        return unpack(blob, dir, options, Progress.NONE);
    }

    /** As {@link #unpack(InputStream, Path, UnpackOptions)}, telling progress after each entry. */
    public static Result unpack(InputStream blob, Path dir, UnpackOptions options, Progress progress)
            throws IOException {
        CountingDigestStream raw = new CountingDigestStream(blob);
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        Compression c = Compression.detect(buffered);
        CountingDigestStream tar;
        try {
            tar = new CountingDigestStream(new StreamErrors(c.decompress(buffered),
                    c == Compression.NONE ? "tar" : c.name().toLowerCase()));
        } catch (IOException e) {
            throw new BadArchiveException(null, "corrupt " + c.name().toLowerCase() + " stream: " + e.getMessage(), e);
        }
        LayerUnpacker unpacker = new LayerUnpacker(new Layer(dir, 1, false), options);
        TarReader reader = new TarReader(tar);
        String current = null;
        while (true) {
            TarArchiveEntry e;
            Map<String, byte[]> xattrs;
            try {
                e = reader.next();
                if (e == null) {
                    break;
                }
                current = e.getName();
                xattrs = reader.xattrs(current);
            } catch (BadArchiveException ex) {
                throw ex;
            } catch (IOException | RuntimeException ex) {
                // commons-compress reports corrupt headers with IOExceptions and, for some fields, runtime ones
                throw new BadArchiveException(current, (current == null ? "" : "after this entry: ")
                        + "truncated or corrupt archive: " + ex.getMessage(), ex);
            }
            unpacker.apply(e, xattrs, reader);
            progress.update(raw.count(), unpacker.entries());
        }
        progress.done();
        unpacker.finish();
        try {
            tar.drain();
            raw.drain();
        } catch (IOException ex) {
            throw new BadArchiveException(null, "corrupt " + c.name().toLowerCase() + " stream after the tar: "
                    + ex.getMessage(), ex);
        }
        return new Result(raw.digest(), raw.count(), tar.digest(), tar.count(), c, unpacker.entries(),
                unpacker.skipped());
    }
}
