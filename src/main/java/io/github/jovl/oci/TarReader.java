package io.github.jovl.oci;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.utils.IOUtils;

/**
 * commons-compress's tar reader with the limits and checks a store of untrusted layers needs:
 * <ul>
 *   <li>extended headers (PAX records, GNU long names) are bounded while they are read, before they can fill the
 *       heap;</li>
 *   <li>xattrs come from the raw PAX bytes, since a capability or ACL value is binary and commons-compress hands
 *       PAX values over as decoded UTF-8 text, which would corrupt it;</li>
 *   <li>a header block cut short, a missing end-of-archive marker and a bad header checksum are errors, where
 *       commons-compress would take them as a normal end.</li>
 * </ul>
 */
final class TarReader extends TarArchiveInputStream {
    /** Largest PAX header or GNU long name accepted; real ones are a few hundred bytes. */
    static final int MAX_EXTENDED_HEADER = 1 << 20;
    /** Linux XATTR_NAME_MAX and XATTR_SIZE_MAX. */
    static final int MAX_XATTR_NAME = 255;
    static final int MAX_XATTR_VALUE = 65536;
    private static final String SCHILY = "SCHILY.xattr.";
    private static final String LIBARCHIVE = "LIBARCHIVE.xattr.";

    private final ByteArrayOutputStream localPax = new ByteArrayOutputStream();
    private final ByteArrayOutputStream globalPax = new ByteArrayOutputStream();
    private Map<String, byte[]> globalXattrs = Map.of();
    private TarArchiveEntry capturing;
    private long capturedOfEntry;
    private int depth;
    private boolean lastRecordWasZero;
    private boolean sawEndMarker;

    TarReader(InputStream in) {
        super(in, false);
    }

    /** The next file entry, with its header checked; null after the end-of-archive marker. */
    TarArchiveEntry next() throws IOException {
        TarArchiveEntry e = getNextEntry();
        if (e != null && !e.isCheckSumOK()) {
            throw new BadArchiveException(e.getName(), "header checksum mismatch (corrupt archive)");
        }
        return e;
    }

    @Override
    public TarArchiveEntry getNextEntry() throws IOException {
        // commons-compress calls this recursively after each PAX or long-name header: only the outermost call
        // starts a new file entry's set of extended headers
        if (depth++ == 0) {
            localPax.reset();
        }
        try {
            return super.getNextEntry();
        } finally {
            depth--;
        }
    }

    /** Extended headers are read through here by commons-compress: count and keep them as they pass. */
    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        TarArchiveEntry e = getCurrentEntry();
        if (n > 0 && e != null && isExtendedHeader(e)) {
            if (capturing != e) {
                if (!e.isCheckSumOK()) {
                    throw new BadArchiveException(e.getName(), "header checksum mismatch (corrupt archive)");
                }
                capturing = e;
                capturedOfEntry = 0;
                if (e.isGlobalPaxHeader()) {
                    globalPax.reset();
                }
            }
            capturedOfEntry += n;
            if (capturedOfEntry > MAX_EXTENDED_HEADER) {
                throw new BadArchiveException(e.getName(), "extended header larger than " + MAX_EXTENDED_HEADER
                        + " bytes");
            }
            if (e.isPaxHeader()) {
                localPax.write(buf, off, n);
            } else if (e.isGlobalPaxHeader()) {
                globalPax.write(buf, off, n);
            }
        }
        return n;
    }

    private static boolean isExtendedHeader(TarArchiveEntry e) {
        return e.isPaxHeader() || e.isGlobalPaxHeader() || e.isGNULongNameEntry() || e.isGNULongLinkEntry();
    }

    /**
     * Reads one header block. A block cut short, or the stream ending before the end-of-archive marker, is a
     * truncated archive: commons-compress would return null and report a clean end.
     */
    @Override
    protected byte[] readRecord() throws IOException {
        byte[] buf = new byte[getRecordSize()];
        int n = IOUtils.readFully(in, buf);
        count(n);
        if (n == 0) {
            if (lastRecordWasZero) {
                return null; // one zero block then the end: old tools write only one
            }
            throw new BadArchiveException(currentName(), "truncated archive: it ends without the end-of-archive"
                    + " marker");
        }
        if (n != buf.length) {
            throw new BadArchiveException(currentName(), "truncated archive: a header block has only " + n
                    + " of " + buf.length + " bytes");
        }
        lastRecordWasZero = isEOFRecord(buf);
        sawEndMarker |= lastRecordWasZero;
        return buf;
    }

    private String currentName() {
        TarArchiveEntry e = getCurrentEntry();
        return e == null ? null : e.getName();
    }

    boolean sawEndMarker() {
        return sawEndMarker;
    }

    /** The xattrs of the entry just returned: global PAX ones, then the entry's own, names sorted. */
    Map<String, byte[]> xattrs(String entryName) throws BadArchiveException {
        if (globalPax.size() > 0) {
            globalXattrs = parseXattrs(globalPax.toByteArray(), entryName);
            globalPax.reset();
        }
        Map<String, byte[]> all = new TreeMap<>(globalXattrs);
        all.putAll(parseXattrs(localPax.toByteArray(), entryName));
        all.values().removeIf(v -> v == null);
        return all;
    }

    /** PAX records are "LEN KEY=VALUE\n" with LEN counting the whole record; values are raw bytes. */
    static Map<String, byte[]> parseXattrs(byte[] pax, String entryName) throws BadArchiveException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        int pos = 0;
        while (pos < pax.length) {
            if (pax[pos] == 0) {
                break; // padding after the last record
            }
            int sp = pos;
            long len = 0;
            while (sp < pax.length && pax[sp] >= '0' && pax[sp] <= '9' && len <= pax.length) {
                len = len * 10 + (pax[sp++] - '0');
            }
            if (sp >= pax.length || pax[sp] != ' ' || len <= sp - pos + 1 || pos + len > pax.length
                    || pax[(int) (pos + len - 1)] != '\n') {
                throw new BadArchiveException(entryName, "malformed PAX record");
            }
            int end = (int) (pos + len - 1);
            int eq = indexOf(pax, (byte) '=', sp + 1, end);
            if (eq < 0) {
                throw new BadArchiveException(entryName, "malformed PAX record (no '=')");
            }
            String key = new String(pax, sp + 1, eq - sp - 1, StandardCharsets.UTF_8);
            byte[] value = Arrays.copyOfRange(pax, eq + 1, end);
            if (key.startsWith(SCHILY)) {
                put(out, key.substring(SCHILY.length()), value, entryName);
            } else if (key.startsWith(LIBARCHIVE)) {
                String name = URLDecoder.decode(key.substring(LIBARCHIVE.length()), StandardCharsets.UTF_8);
                byte[] decoded;
                try {
                    decoded = Base64.getDecoder().decode(new String(value, StandardCharsets.US_ASCII).trim());
                } catch (IllegalArgumentException ex) {
                    throw new BadArchiveException(entryName, "xattr " + name + " is not valid base64");
                }
                put(out, name, decoded, entryName);
            }
            pos = (int) (pos + len);
        }
        return out;
    }

    private static void put(Map<String, byte[]> out, String name, byte[] value, String entryName)
            throws BadArchiveException {
        if (name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > MAX_XATTR_NAME) {
            throw new BadArchiveException(entryName, "xattr name empty or longer than " + MAX_XATTR_NAME + " bytes");
        }
        if (value.length > MAX_XATTR_VALUE) {
            throw new BadArchiveException(entryName, "xattr " + name + " is " + value.length
                    + " bytes, more than " + MAX_XATTR_VALUE);
        }
        out.put(name, value);
    }

    private static int indexOf(byte[] a, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
