package io.github.jovl.oci;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A minimal, deterministic ustar+PAX writer for exported layers. commons-compress's writer takes PAX values as
 * Java strings and writes them as UTF-8, which would corrupt binary xattr values (file capabilities, ACLs);
 * here SCHILY.xattr records carry the raw bytes, as GNU tar and Go's archive/tar write them. Nothing that varies
 * between runs (user names, atime, ctime, record padding) is written.
 */
final class TarWriter implements AutoCloseable {
    static final char REGULAR = '0';
    static final char HARDLINK = '1';
    static final char SYMLINK = '2';
    static final char CHAR = '3';
    static final char BLOCK = '4';
    static final char DIR = '5';
    static final char FIFO = '6';

    /** One entry's header fields; mtime in whole seconds. */
    record Header(String name, char type, int mode, long uid, long gid, long size, long mtime, String linkName,
                  int devMajor, int devMinor, Map<String, byte[]> xattrs) {
    }

    private final OutputStream out;
    private final byte[] buf = new byte[1 << 16];
    private long written;

    TarWriter(OutputStream out) {
        this.out = out;
    }

    long written() {
        return written;
    }

    void write(Header h, InputStream data) throws IOException {
        Map<String, byte[]> pax = new TreeMap<>();
        byte[] name = h.name().getBytes(StandardCharsets.UTF_8);
        byte[] link = h.linkName() == null ? new byte[0] : h.linkName().getBytes(StandardCharsets.UTF_8);
        if (name.length > 100 || !ascii(name)) {
            pax.put("path", name);
        }
        if (link.length > 100 || !ascii(link)) {
            pax.put("linkpath", link);
        }
        if (h.size() > 077777777777L) {
            pax.put("size", Long.toString(h.size()).getBytes(StandardCharsets.US_ASCII));
        }
        if (h.uid() > 07777777) {
            pax.put("uid", Long.toString(h.uid()).getBytes(StandardCharsets.US_ASCII));
        }
        if (h.gid() > 07777777) {
            pax.put("gid", Long.toString(h.gid()).getBytes(StandardCharsets.US_ASCII));
        }
        new TreeMap<>(h.xattrs()).forEach((k, v) -> pax.put("SCHILY.xattr." + k, v));
        if (!pax.isEmpty()) {
            byte[] records = paxRecords(pax);
            String paxName = "PaxHeaders/" + new String(Arrays.copyOf(name, Math.min(name.length, 80)),
                    StandardCharsets.US_ASCII);
            emit(header(paxName, 'x', 0644, 0, 0, records.length, h.mtime(), "", 0, 0));
            emit(records);
            pad(records.length);
        }
        emit(header(h.name(), h.type(), h.mode(), h.uid(), h.gid(), h.size(), h.mtime(), h.linkName(),
                h.devMajor(), h.devMinor()));
        if (h.size() > 0) {
            long left = h.size();
            while (left > 0) {
                int n = data.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new IOException(h.name() + " shrank while it was exported");
                }
                out.write(buf, 0, n);
                written += n;
                left -= n;
            }
            pad(h.size());
        }
    }

    private static boolean ascii(byte[] b) {
        for (byte x : b) {
            if (x < 0x20 || x >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** "LEN KEY=VALUE\n", where LEN counts itself: grow the guess until the digit count is stable. */
    static byte[] paxRecords(Map<String, byte[]> pax) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> e : pax.entrySet()) {
            byte[] key = e.getKey().getBytes(StandardCharsets.UTF_8);
            int body = 1 + key.length + 1 + e.getValue().length + 1; // ' ' key '=' value '\n'
            int len = body + 1;
            while (Integer.toString(len).length() + body != len) {
                len = Integer.toString(len).length() + body;
            }
            b.writeBytes(Integer.toString(len).getBytes(StandardCharsets.US_ASCII));
            b.write(' ');
            b.writeBytes(key);
            b.write('=');
            b.writeBytes(e.getValue());
            b.write('\n');
        }
        return b.toByteArray();
    }

    private static byte[] header(String name, char type, int mode, long uid, long gid, long size, long mtime,
                                 String link, int major, int minor) {
        byte[] h = new byte[512];
        put(h, 0, 100, name.getBytes(StandardCharsets.UTF_8));
        octal(h, 100, 8, mode & 07777);
        octal(h, 108, 8, uid > 07777777 ? 0 : uid);
        octal(h, 116, 8, gid > 07777777 ? 0 : gid);
        octal(h, 124, 12, size > 077777777777L ? 0 : size);
        octal(h, 136, 12, Math.max(0, Math.min(mtime, 077777777777L)));
        h[156] = (byte) type;
        if (link != null) {
            put(h, 157, 100, link.getBytes(StandardCharsets.UTF_8));
        }
        put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        if (type == CHAR || type == BLOCK) {
            octal(h, 329, 8, major);
            octal(h, 337, 8, minor);
        }
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte x : h) {
            sum += x & 0xff;
        }
        octal(h, 148, 7, sum);
        return h;
    }

    private static void put(byte[] h, int off, int len, byte[] v) {
        System.arraycopy(v, 0, h, off, Math.min(len, v.length));
    }

    private static void octal(byte[] h, int off, int len, long v) {
        byte[] s = String.format("%0" + (len - 1) + "o", v).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(s, 0, h, off, len - 1);
    }

    private void emit(byte[] b) throws IOException {
        out.write(b);
        written += b.length;
    }

    private void pad(long size) throws IOException {
        int rem = (int) (size % 512);
        if (rem != 0) {
            emit(new byte[512 - rem]);
        }
    }

    /** The end-of-archive marker: two zero blocks. Does not close the underlying stream. */
    @Override
    public void close() throws IOException {
        emit(new byte[1024]);
        out.flush();
    }
}
