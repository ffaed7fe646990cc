package io.github.jovl.scenario;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The end-state checks scenarios use: what the merged view shows, and which markers the upper holds. Marker
 * checks ask for the form the backend writes (a 0/0 char device or ".wh.NAME"; trusted.* or user.* opaque).
 */
public final class Expect {
    private Expect() {
    }

    private record Named(String text, Check check) implements Check {
        @Override
        public String verify(Outcome o) {
            String why = check.verify(o);
            return why == null ? null : text + ": " + why;
        }
    }

    private static Check named(String text, Check c) {
        return new Named(text, c);
    }

    /** The merged view shows an object at path matching spec. */
    public static Check shows(String path, EntrySpec spec) {
        return named("view /" + path + " is " + spec, o -> {
            Tree.Entry e = o.view().get(path);
            return e == null ? "absent" : spec.mismatch(e);
        });
    }

    /** Nothing at path in the merged view. */
    public static Check hidden(String path) {
        return named("view /" + path + " is absent", o -> {
            Tree.Entry e = o.view().get(path);
            return e == null ? null : "shown as " + e.describe();
        });
    }

    /** The names directly inside dir in the merged view, exactly (order free). */
    public static Check listing(String dir, String... names) {
        List<String> want = new ArrayList<>(Arrays.asList(names));
        want.sort(null);
        return named("view /" + dir + " lists " + want, o -> {
            List<String> got = children(o.view(), dir);
            return got.equals(want) ? null : "lists " + got;
        });
    }

    static List<String> children(Tree t, String dir) {
        String prefix = dir.isEmpty() ? "" : dir + "/";
        List<String> got = new ArrayList<>();
        for (String p : t.entries().keySet()) {
            if (!p.isEmpty() && p.startsWith(prefix) && p.indexOf('/', prefix.length()) < 0 && !p.equals(dir)) {
                got.add(p.substring(prefix.length()));
            }
        }
        got.sort(null);
        return got;
    }

    /** The upper holds a whiteout at path, in the form the backend writes. */
    public static Check upperWhiteout(String path) {
        return named("upper /" + path + " is a whiteout", o -> {
            Tree.Entry e = upper(o).get(path);
            if (e == null) {
                return "absent";
            }
            if (!e.isWhiteout()) {
                return "is " + e.describe();
            }
            return e.whiteout().equals(o.whiteoutForm()) ? null
                    : "form " + e.whiteout() + ", but this backend writes " + o.whiteoutForm();
        });
    }

    /** The upper holds a directory at path marked opaque, in the form the backend writes. */
    public static Check upperOpaque(String path) {
        return named("upper /" + path + " is an opaque dir", o -> {
            Tree.Entry e = upper(o).get(path);
            if (e == null || !e.isDir()) {
                return e == null ? "absent" : "is " + e.describe();
            }
            if (e.opaque() == null) {
                return "not opaque";
            }
            return e.opaque().equals(o.opaqueForm()) ? null
                    : "opaque form " + e.opaque() + ", but this backend writes " + o.opaqueForm();
        });
    }

    /** The upper holds a directory at path that is not opaque (it merges with the lowers). */
    public static Check upperNotOpaque(String path) {
        return named("upper /" + path + " is a dir, not opaque", o -> {
            Tree.Entry e = upper(o).get(path);
            if (e == null || !e.isDir()) {
                return e == null ? "absent" : "is " + e.describe();
            }
            return e.opaque() == null ? null : "opaque (" + e.opaque() + ")";
        });
    }

    /** The upper has nothing at path: no object and no marker. */
    public static Check upperLacks(String path) {
        return named("upper has nothing at /" + path, o -> {
            Tree.Entry e = upper(o).get(path);
            return e == null ? null : "holds " + e.describe();
        });
    }

    /** The upper holds an object at path matching spec. */
    public static Check upperHas(String path, EntrySpec spec) {
        return named("upper /" + path + " is " + spec, o -> {
            Tree.Entry e = upper(o).get(path);
            return e == null ? "absent" : spec.mismatch(e);
        });
    }

    /** The upper holds no whiteout anywhere. */
    public static Check upperHasNoWhiteouts() {
        return named("upper holds no whiteouts", o -> {
            List<String> w = new ArrayList<>();
            upper(o).entries().forEach((p, e) -> {
                if (e.isWhiteout()) {
                    w.add(p);
                }
            });
            return w.isEmpty() ? null : "whiteouts at " + w;
        });
    }

    private static Tree upper(Outcome o) {
        if (o.upper() == null) {
            throw new IllegalStateException("scenario bug: an upper check on a read-only overlay");
        }
        return o.upper();
    }
}
