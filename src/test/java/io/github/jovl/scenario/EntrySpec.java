package io.github.jovl.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A partial description of one object that a {@link Tree.Entry} must match: its kind and only the attributes a
 * rule is about (mode, owner, mtime label, nlink, xattrs...).
 */
public final class EntrySpec {
    private record Field(String name, Object want, Function<Tree.Entry, Object> get) {
    }

    private final String text;
    private final List<Field> fields;

    private EntrySpec(String text, List<Field> fields) {
        this.text = text;
        this.fields = List.copyOf(fields);
    }

    private EntrySpec and(String t, String name, Object want, Function<Tree.Entry, Object> get) {
        List<Field> f = new ArrayList<>(fields);
        f.add(new Field(name, want, get));
        return new EntrySpec(text + " " + t, f);
    }

    private static EntrySpec kind(String k) {
        return new EntrySpec(k, List.of(new Field("kind", k, Tree.Entry::kind)));
    }

    public static EntrySpec file(String content) {
        return kind("file").and("\"" + content + "\"", "data", Tree.show(content.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)), Tree.Entry::data);
    }

    public static EntrySpec dir() {
        return kind("dir");
    }

    public static EntrySpec symlink(String target) {
        return kind("symlink").and("-> " + target, "target", target, Tree.Entry::data);
    }

    public static EntrySpec fifo() {
        return kind("fifo");
    }

    public EntrySpec mode(int perms) {
        String m = String.format("%04o", perms);
        return and(m, "mode", m, e -> String.format("%04o", e.perms()));
    }

    public EntrySpec owner(int uid, int gid) {
        return and(uid + ":" + gid, "owner", uid + ":" + gid, e -> e.uid() + ":" + e.gid());
    }

    /** A {@link FixtureTimes} label: "lower0", "upper", "now" or "SEC.NSEC". */
    public EntrySpec mtime(String label) {
        return and("mtime=" + label, "mtime", label, Tree.Entry::mtime);
    }

    public EntrySpec nlink(long n) {
        return and("nlink=" + n, "nlink", n, Tree.Entry::nlink);
    }

    public EntrySpec xattr(String name, String value) {
        return and(name + "=" + value, name, "\"" + value + "\"", e -> e.xattrs().get(name));
    }

    public EntrySpec noXattr(String name) {
        return and("no " + name, name, null, e -> e.xattrs().get(name));
    }

    public EntrySpec noXattrs() {
        return and("no xattrs", "xattrs", "{}", e -> e.xattrs().toString());
    }

    /** Null when e matches, else what differs. */
    String mismatch(Tree.Entry e) {
        List<String> bad = new ArrayList<>();
        for (Field f : fields) {
            Object got = f.get.apply(e);
            if (!Objects.equals(f.want, got)) {
                bad.add(f.name + ": want " + f.want + ", got " + got);
            }
        }
        return bad.isEmpty() ? null : String.join("; ", bad) + " (entry: " + e.describe() + ")";
    }

    @Override
    public String toString() {
        return text;
    }
}
