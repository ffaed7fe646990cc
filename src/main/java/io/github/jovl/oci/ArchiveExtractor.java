package io.github.jovl.oci;

import io.github.jovl.fs.RelPath;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Unpacks an image archive (a `docker save` tarball or an OCI archive, possibly gzip- or zstd-compressed) into
 * a staging directory, with the same refusals as a layer: only files, directories, relative symlinks that stay
 * inside (old `docker save` links duplicate layers) and hard links to earlier files.
 */
final class ArchiveExtractor {
    private ArchiveExtractor() {
    }

    static void extract(InputStream archive, Path dir) throws IOException {
        BufferedInputStream b = new BufferedInputStream(archive, 1 << 16);
        Compression c = Compression.detect(b);
        TarReader reader = new TarReader(new StreamErrors(c.decompress(b), c == Compression.NONE ? "tar"
                : c.name().toLowerCase()));
        Map<RelPath, Boolean> isDir = new HashMap<>();
        isDir.put(RelPath.ROOT, true);
        String current = null;
        while (true) {
            TarArchiveEntry e;
            try {
                e = reader.next();
            } catch (BadArchiveException ex) {
                throw ex;
            } catch (IOException | RuntimeException ex) {
                throw new BadArchiveException(current, "truncated or corrupt archive: " + ex.getMessage(), ex);
            }
            if (e == null) {
                break;
            }
            current = e.getName();
            RelPath p = EntryName.parse(current);
            if (p.isRoot()) {
                continue;
            }
            for (RelPath a = p.parent(); !a.isRoot(); a = a.parent()) {
                Boolean d = isDir.get(a);
                if (d != null && !d) {
                    throw new BadArchiveException(current, "parent " + a + " is not a directory");
                }
            }
            Boolean old = isDir.get(p);
            if (old != null && !(old && e.isDirectory())) {
                throw new BadArchiveException(current, "duplicate entry");
            }
            Path target = dir.resolve(p.toString());
            createParents(dir, p, isDir);
            if (e.isDirectory()) {
                if (old == null) {
                    Files.createDirectory(target);
                }
                isDir.put(p, true);
                continue;
            }
            if (e.isSymbolicLink()) {
                String t = e.getLinkName();
                if (t.startsWith("/") || EntryName.symlinkEscapes(p, t)) {
                    throw new BadArchiveException(current, "symlink target '" + t + "' escapes the archive");
                }
                Files.createSymbolicLink(target, Path.of(t));
            } else if (e.isLink()) {
                RelPath t = EntryName.parse(e.getLinkName());
                if (!Boolean.FALSE.equals(isDir.get(t)) || !Files.isRegularFile(dir.resolve(t.toString()),
                        LinkOption.NOFOLLOW_LINKS)) {
                    throw new BadArchiveException(current, "hard link target is not an earlier file");
                }
                Files.createLink(target, dir.resolve(t.toString()));
            } else if (e.isFile()) {
                try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
                    try {
                        reader.transferTo(out);
                    } catch (BadArchiveException ex) {
                        throw ex;
                    } catch (IOException ex) {
                        throw new BadArchiveException(current, "truncated or corrupt archive: " + ex.getMessage(), ex);
                    }
                }
            } else {
                throw new BadArchiveException(current, "unexpected entry type in an image archive");
            }
            isDir.put(p, false);
        }
    }

    private static void createParents(Path dir, RelPath p, Map<RelPath, Boolean> isDir) throws IOException {
        if (p.parent().isRoot() || isDir.containsKey(p.parent())) {
            return;
        }
        createParents(dir, p.parent(), isDir);
        Files.createDirectory(dir.resolve(p.parent().toString()));
        isDir.put(p.parent(), true);
    }

    /**
     * The file a manifest names, after following symlinks, which must still lie inside the archive: a member
     * name in a manifest is as untrusted as an entry name.
     */
    static Path member(Path dir, String name) throws IOException {
        RelPath p = EntryName.parse(name);
        Path real;
        try {
            real = dir.resolve(p.toString()).toRealPath();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new BadArchiveException(name, "missing from the archive");
        }
        if (!real.startsWith(dir.toRealPath()) || !Files.isRegularFile(real)) {
            throw new BadArchiveException(name, "not a file inside the archive");
        }
        return real;
    }
}
