package io.github.jovl.oci;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds layer tars in memory for tests, entry by entry, with nothing normalised away. */
final class TarBuilder {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;

    TarBuilder() {
        tar = new TarArchiveOutputStream(bytes, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    TarBuilder dir(String name) throws IOException {
        return dir(name, 0755);
    }

    TarBuilder dir(String name, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true);
        e.setMode(TarArchiveEntry.DEFAULT_DIR_MODE & ~07777 | mode);
        e.setModTime(1_000_000L * 1000);
        return put(e, null);
    }

    TarBuilder file(String name, String content) throws IOException {
        return file(name, content, 0644, Map.of());
    }

    TarBuilder file(String name, String content, int mode, Map<String, String> paxHeaders) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        e.setSize(data.length);
        e.setMode(0100000 | mode);
        e.setModTime(1_000_000L * 1000);
        paxHeaders.forEach(e::addPaxHeader);
        return put(e, data);
    }

    TarBuilder symlink(String name, String target) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
        e.setLinkName(target);
        e.setModTime(1_000_000L * 1000);
        return put(e, null);
    }

    TarBuilder hardlink(String name, String target) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
        e.setLinkName(target);
        return put(e, null);
    }

    TarBuilder fifo(String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_FIFO, true);
        e.setMode(0010644);
        return put(e, null);
    }

    TarBuilder chardev(String name, int major, int minor) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_CHR, true);
        e.setMode(0020600);
        e.setDevMajor(major);
        e.setDevMinor(minor);
        return put(e, null);
    }

    TarBuilder whiteout(String name) throws IOException {
        return file(name, "");
    }

    TarBuilder put(TarArchiveEntry e, byte[] data) throws IOException {
        tar.putArchiveEntry(e);
        if (data != null) {
            tar.write(data);
        }
        tar.closeArchiveEntry();
        return this;
    }

    OutputStream raw() {
        return bytes;
    }

    byte[] build() throws IOException {
        tar.finish();
        return bytes.toByteArray();
    }
}
