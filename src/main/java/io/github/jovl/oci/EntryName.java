package io.github.jovl.oci;

import io.github.jovl.fs.FsException;
import io.github.jovl.fs.RelPath;
import java.util.ArrayList;
import java.util.List;

/** Turns a tar entry name or hard-link target into a path inside the layer, refusing every way out of it. */
final class EntryName {
    private EntryName() {
    }

    /**
     * "./a/b/", "a//b" and "a/./b" are all a/b. Absolute names and ".." components are refused rather than
     * stripped: a layer that has them was made to attack whoever unpacks it.
     */
    static RelPath parse(String raw) throws BadArchiveException {
        if (raw == null || raw.isEmpty()) {
            throw new BadArchiveException(raw, "empty name");
        }
        if (raw.startsWith("/")) {
            throw new BadArchiveException(raw, "absolute name");
        }
        if (raw.indexOf('\0') >= 0) {
            throw new BadArchiveException(raw, "NUL in name");
        }
        List<String> parts = new ArrayList<>();
        for (String part : raw.split("/")) {
            if (part.equals("..")) {
                throw new BadArchiveException(raw, "path traversal ('..')");
            }
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        try {
            return RelPath.of(String.join("/", parts));
        } catch (FsException e) {
            throw new BadArchiveException(raw, "invalid name: " + e.getMessage());
        }
    }

    /**
     * Whether a symlink placed at link with this target resolves, lexically, outside the layer root. Absolute
     * targets are resolved against the container's root, which is the layer root, so they cannot climb out.
     */
    static boolean symlinkEscapes(RelPath link, String target) {
        if (target.startsWith("/")) {
            return false;
        }
        int depth = link.depth() - 1; // the directory that holds the link
        for (String part : target.split("/")) {
            if (part.equals("..")) {
                if (--depth < 0) {
                    return true;
                }
            } else if (!part.isEmpty() && !part.equals(".")) {
                depth++;
            }
        }
        return false;
    }
}
