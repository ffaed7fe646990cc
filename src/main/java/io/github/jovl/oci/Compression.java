package io.github.jovl.oci;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;

/** How a layer blob is compressed. Recognised by its magic bytes, never by a file name or media type. */
public enum Compression {
    NONE, GZIP, ZSTD;

    private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b};
    private static final byte[] ZSTD_MAGIC = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};
    private static final byte[] BZIP2_MAGIC = {'B', 'Z', 'h'};
    private static final byte[] XZ_MAGIC = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};

    /** Looks at the first bytes without consuming them. */
    public static Compression detect(BufferedInputStream in) throws IOException {
        in.mark(8);
        byte[] head = in.readNBytes(6);
        in.reset();
        if (startsWith(head, GZIP_MAGIC)) {
            return GZIP;
        }
        if (startsWith(head, ZSTD_MAGIC)) {
            return ZSTD;
        }
        if (startsWith(head, BZIP2_MAGIC) || startsWith(head, XZ_MAGIC)) {
            // OCI layers are tar, tar+gzip or tar+zstd only
            throw new BadArchiveException(null, "bzip2 and xz layers are not OCI layers; recompress as gzip or zstd");
        }
        return NONE;
    }

    private static boolean startsWith(byte[] head, byte[] magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (head[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /** The uncompressed stream; gzip members that follow one another are read as one stream, as gzip(1) does. */
    public InputStream decompress(InputStream in) throws IOException {
        return switch (this) {
            case NONE -> in;
            case GZIP -> new GzipCompressorInputStream(in, true);
            case ZSTD -> new ZstdCompressorInputStream(in);
        };
    }

    /**
     * A compressing stream with fixed parameters and no name or time in the gzip header, so the same input
     * always gives the same blob.
     */
    public OutputStream compress(OutputStream out) throws IOException {
        return switch (this) {
            case NONE -> out;
            case GZIP -> {
                GzipParameters p = new GzipParameters();
                p.setModificationTime(0);
                p.setOperatingSystem(255); // "unknown": the blob must not depend on the host
                yield new GzipCompressorOutputStream(out, p);
            }
            case ZSTD -> new ZstdCompressorOutputStream(out, 3);
        };
    }

    /** The OCI media type of a layer compressed this way. */
    public String mediaType() {
        return switch (this) {
            case NONE -> "application/vnd.oci.image.layer.v1.tar";
            case GZIP -> "application/vnd.oci.image.layer.v1.tar+gzip";
            case ZSTD -> "application/vnd.oci.image.layer.v1.tar+zstd";
        };
    }
}
