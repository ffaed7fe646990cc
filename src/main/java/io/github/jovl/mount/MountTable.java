package io.github.jovl.mount;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * /proc/self/mountinfo, read fresh each time: the one place that says whether a mount exists. A mount is known
 * by its ID, never by its path alone: something else may be mounted over the same directory, before or after.
 */
public final class MountTable {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    /** One line: the mount ID, where it is mounted, its filesystem type ("fuse.jovl", "overlay") and source. */
    public record Entry(long id, long parentId, Path mountPoint, String fsType, String source) {
        public boolean isFuse() {
            return fsType.equals("fuse") || fsType.startsWith("fuse.");
        }
    }

    private final List<Entry> entries;

    private MountTable(List<Entry> entries) {
        this.entries = entries;
    }

    public static MountTable read() throws IOException {
        return parse(Files.readString(MOUNTINFO, StandardCharsets.ISO_8859_1));
    }

    /** Text as the kernel writes it: bytes as Latin-1 chars, so octal escapes can be undone to UTF-8 bytes. */
    static MountTable parse(String text) {
        List<Entry> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (f.length < 7 || dash < 6 || dash + 2 >= f.length) {
                continue;
            }
            out.add(new Entry(Long.parseLong(f[0]), Long.parseLong(f[1]), Path.of(unescape(f[4])),
                    unescape(f[dash + 1]), unescape(f[dash + 2])));
        }
        return new MountTable(out);
    }

    /** The kernel writes space, tab, newline and backslash as \040, \011, \012, \134. */
    static String unescape(String s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1)) {
                b.write(Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    private static boolean isOctal(String s, int at) {
        if (at + 3 > s.length()) {
            return false;
        }
        for (int i = at; i < at + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }

    public List<Entry> entries() {
        return entries;
    }

    /** Mounts at dir, oldest first; the last one is what a path lookup sees. */
    public List<Entry> at(Path dir) {
        return entries.stream().filter(e -> e.mountPoint().equals(dir)).collect(Collectors.toList());
    }

    public Entry top(Path dir) {
        List<Entry> at = at(dir);
        return at.isEmpty() ? null : at.get(at.size() - 1);
    }

    public Set<Long> idsAt(Path dir) {
        return at(dir).stream().map(Entry::id).collect(Collectors.toSet());
    }

    public Entry byId(long id) {
        for (Entry e : entries) {
            if (e.id() == id) {
                return e;
            }
        }
        return null;
    }
}
