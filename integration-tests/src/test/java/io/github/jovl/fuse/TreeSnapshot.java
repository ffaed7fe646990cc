package io.github.jovl.fuse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a user sees of a tree: for each path its type, permission bits, owner, and for files size and SHA-256,
 * for symlinks the target. Times, inode numbers and directory sizes are left out: they legitimately differ
 * between two filesystems that agree.
 */
public final class TreeSnapshot {
    private final Map<String, String> entries;

    private TreeSnapshot(Map<String, String> entries) {
        this.entries = entries;
    }

    /** @param contentIgnored relative paths whose content (size, hash) is not compared, only their existence */
    public static TreeSnapshot of(Path root, Set<String> contentIgnored) throws IOException {
        Map<String, String> m = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                m.put(rel(root, dir), describe(dir, "d", contentIgnored.contains(rel(root, dir))));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String r = rel(root, file);
                m.put(r, describe(file, attrs.isSymbolicLink() ? "l" : attrs.isRegularFile() ? "f" : "o",
                        contentIgnored.contains(r)));
                return FileVisitResult.CONTINUE;
            }
        });
        return new TreeSnapshot(m);
    }

    private static String rel(Path root, Path p) {
        String r = root.relativize(p).toString();
        return r.isEmpty() ? "." : r;
    }

    private static String describe(Path p, String type, boolean ignoreContent) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,rdev", LinkOption.NOFOLLOW_LINKS);
        StringBuilder b = new StringBuilder(type).append(' ')
                .append(Integer.toOctalString((Integer) a.get("mode") & 07777)).append(' ')
                .append(a.get("uid")).append(':').append(a.get("gid"));
        if (ignoreContent) {
            return b.toString();
        }
        switch (type) {
            case "f" -> b.append(" size=").append(a.get("size")).append(" sha256=").append(sha256(p));
            case "l" -> b.append(" -> ").append(Files.readSymbolicLink(p));
            case "o" -> b.append(" rdev=").append(a.get("rdev"));
            default -> {
            }
        }
        return b.toString();
    }

    private static String sha256(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public int size() {
        return entries.size();
    }

    /** Each difference as one line ("path: expected ... / actual ..."); empty when the trees agree. */
    public List<String> diff(TreeSnapshot actual) {
        List<String> out = new ArrayList<>();
        Set<String> all = new TreeSet<>(entries.keySet());
        all.addAll(actual.entries.keySet());
        for (String k : all) {
            String e = entries.get(k);
            String a = actual.entries.get(k);
            if (e == null || !e.equals(a)) {
                out.add(k + ": expected " + e + " / actual " + a);
            }
        }
        return out;
    }
}
