package io.github.jovl.oci;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest as the OCI image spec writes it: {@code sha256:<64 lowercase hex>}. Only sha256 is accepted,
 * since that is what every image in practice uses and a store keyed on one algorithm never holds a blob twice.
 */
public record Digest(String hex) implements Comparable<Digest> {
    public static final String ALGORITHM = "sha256";
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    public Digest {
        if (hex == null || !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("not a sha256 digest: " + hex);
        }
    }

    /** Parses "sha256:HEX"; the message names the text, for a one-line error about a manifest field. */
    public static Digest parse(String text) throws BadArchiveException {
        if (text == null || !text.startsWith(ALGORITHM + ":") || !HEX.matcher(text.substring(7)).matches()) {
            throw new BadArchiveException(text, "not a sha256 digest");
        }
        return new Digest(text.substring(7));
    }

    public static MessageDigest newHasher() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public static Digest of(MessageDigest finished) {
        return new Digest(HexFormat.of().formatHex(finished.digest()));
    }

    public static Digest of(byte[] data) {
        MessageDigest md = newHasher();
        md.update(data);
        return of(md);
    }

    public static Digest of(Path file) throws IOException {
        MessageDigest md = newHasher();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return of(md);
    }

    /** The first 12 hex digits, as `docker images` shows an ID. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return ALGORITHM + ":" + hex;
    }

    @Override
    public int compareTo(Digest o) {
        return hex.compareTo(o.hex);
    }
}
