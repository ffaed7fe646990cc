package io.github.jovl.fs;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A validated path relative to the merged root. Components are never empty, ".", ".." or contain NUL or '/',
 * each is at most NAME_MAX bytes and the whole at most PATH_MAX, so a RelPath can never climb out of a layer.
 * The root is the path with no components.
 */
public final class RelPath implements Comparable<RelPath> {
    public static final int NAME_MAX = 255;
    public static final int PATH_MAX = 4096;
    public static final RelPath ROOT = new RelPath(new String[0], "");

    private final String[] names;
    private final String text;

    private RelPath(String[] names, String text) {
        this.names = names;
        this.text = text;
    }

    /**
     * Parses "a/b", "/a/b" or "" (root); FUSE hands paths with a leading slash. One pass over the characters:
     * this runs for every FUSE request.
     */
    public static RelPath of(String path) throws FsException {
        if (path == null) {
            throw new FsException(Errno.EINVAL, null, "null path");
        }
        int len = path.length();
        if (utf8Length(path) >= PATH_MAX) {
            throw new FsException(Errno.ENAMETOOLONG, path);
        }
        String[] parts = new String[count(path)];
        int n = 0;
        // "/a/b" as FUSE sends it: the text is the rest, no need to join the parts again
        boolean canonical = len > 0 && path.charAt(0) == '/' && path.charAt(len - 1) != '/';
        for (int i = 0; i < len; ) {
            int end = path.indexOf('/', i);
            if (end < 0) {
                end = len;
            }
            if (end == i || (end == i + 1 && path.charAt(i) == '.')) {
                canonical &= i == 0; // only the leading slash may give an empty component
            } else {
                String name = path.substring(i, end);
                check(name, path);
                parts[n++] = name;
            }
            i = end + 1;
        }
        if (n == 0) {
            return ROOT;
        }
        return new RelPath(parts, canonical ? path.substring(1) : String.join("/", parts));
    }

    /** The components of path that are neither empty nor ".". */
    private static int count(String path) {
        int n = 0;
        int len = path.length();
        for (int i = 0; i < len; ) {
            int end = path.indexOf('/', i);
            if (end < 0) {
                end = len;
            }
            if (end > i && !(end == i + 1 && path.charAt(i) == '.')) {
                n++;
            }
            i = end + 1;
        }
        return n;
    }

    /** The UTF-8 length without encoding, for the common all-ASCII case. */
    private static int utf8Length(String s) {
        int len = s.length();
        for (int i = 0; i < len; i++) {
            if (s.charAt(i) >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return len;
    }

    private static void check(String name, String whole) throws FsException {
        if (name.equals("..")) {
            throw new FsException(Errno.EINVAL, whole, "'..' is not allowed in an overlay path");
        }
        if (name.indexOf('\0') >= 0 || name.indexOf('/') >= 0) {
            throw new FsException(Errno.EINVAL, whole, "NUL or '/' in a name");
        }
        if (name.length() > NAME_MAX / 3 && utf8Length(name) > NAME_MAX) {
            throw new FsException(Errno.ENAMETOOLONG, whole);
        }
    }

    public RelPath child(String name) throws FsException {
        if (name.isEmpty() || name.equals(".")) {
            throw new FsException(Errno.EINVAL, text, "empty name");
        }
        check(name, name);
        String[] n = Arrays.copyOf(names, names.length + 1);
        n[names.length] = name;
        String t = text.isEmpty() ? name : text + "/" + name;
        if (t.getBytes(StandardCharsets.UTF_8).length >= PATH_MAX) {
            throw new FsException(Errno.ENAMETOOLONG, t);
        }
        return new RelPath(n, t);
    }

    public boolean isRoot() {
        return names.length == 0;
    }

    public RelPath parent() {
        if (names.length <= 1) {
            return ROOT;
        }
        String[] n = Arrays.copyOf(names, names.length - 1);
        return new RelPath(n, text.substring(0, text.lastIndexOf('/'))); // names hold no '/'

    }

    /** The last component; "" for the root. */
    public String name() {
        return names.length == 0 ? "" : names[names.length - 1];
    }

    public int depth() {
        return names.length;
    }

    public List<String> names() {
        return List.of(names);
    }

    /** True when this path is other or lies below it. */
    public boolean startsWith(RelPath other) {
        if (other.names.length > names.length) {
            return false;
        }
        for (int i = 0; i < other.names.length; i++) {
            if (!names[i].equals(other.names[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }

    /** The form FUSE and users see: "/a/b", "/" for the root. */
    public String display() {
        return "/" + text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RelPath r && r.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public int compareTo(RelPath o) {
        return text.compareTo(o.text);
    }
}
