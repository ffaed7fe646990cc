package io.github.jovl.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** A sha256 over a whole tree (names, types, modes, sizes, file data, link targets): "is the lower unchanged". */
final class TreeHash {
    private TreeHash() {
    }

    static String of(Path root) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        List<Path> all;
        try (Stream<Path> s = Files.walk(root)) {
            all = s.sorted().toList();
        }
        for (Path p : all) {
            String rel = root.relativize(p).toString();
            int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            long size = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Files.size(p) : 0;
            md.update((rel + "\0" + Integer.toOctalString(mode) + "\0" + size + "\0")
                    .getBytes(StandardCharsets.UTF_8));
            if (Files.isSymbolicLink(p)) {
                md.update(Files.readSymbolicLink(p).toString().getBytes(StandardCharsets.UTF_8));
            } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                feed(md, p);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** sha256 of one file's data, with extra bytes appended (the expected hash after an append). */
    static String file(Path p, byte... appended) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        feed(md, p);
        md.update(appended);
        return HexFormat.of().formatHex(md.digest());
    }

    private static void feed(MessageDigest md, Path p) throws IOException {
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(p)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
    }
}
