package io.github.jovl.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The lowerdir=, upperdir= and workdir= part of an overlay option string, which the kernel and jovl read alike.
 * Test paths never need the kernel's '\' escaping, so a path that would is refused rather than escaped.
 */
public final class LayerOptions {
    private LayerOptions() {
    }

    /** upper and work may be null (a read-only overlay). */
    public static String of(List<Path> lowersTopFirst, Path upper, Path work) {
        List<String> parts = new ArrayList<>();
        if (!lowersTopFirst.isEmpty()) {
            List<String> ls = new ArrayList<>();
            for (Path l : lowersTopFirst) {
                ls.add(plain(l));
            }
            parts.add("lowerdir=" + String.join(":", ls));
        }
        if (upper != null) {
            parts.add("upperdir=" + plain(upper));
        }
        if (work != null) {
            parts.add("workdir=" + plain(work));
        }
        return String.join(",", parts);
    }

    private static String plain(Path p) {
        String s = p.toAbsolutePath().toString();
        if (s.contains(":") || s.contains(",") || s.contains("\\")) {
            throw new IllegalArgumentException("test path needs escaping in overlay options: " + s);
        }
        return s;
    }
}
