package io.github.jovl.scenario;

import io.github.jovl.sys.Native;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Runs a scenario on one backend and judges it: against its own expectations ({@link #verify}) and against
 * another backend's run ({@link #compare}). Messages name the scenario, the step, expected against actual, and
 * show the trees.
 */
public final class Runner {
    /** Opens a driver on materialised layers: the engine with some config, or a mount. */
    public interface Backend {
        String name();

        Driver open(LayerDirs dirs, Path scratch) throws Exception;

        /**
         * Whether workdir/work must be empty after a run. The kernel keeps its shared whiteout inode ("#N") there
         * on purpose, so only backends that promise an empty workdir (the engine) are held to it.
         */
        default boolean emptiesWorkdir() {
            return true;
        }

        /** The namespace its xattr markers are read in: fixtures write theirs there ("user.overlay." for userxattr). */
        default String markerPrefix() {
            return "trusted.overlay.";
        }
    }

    private Runner() {
    }

    /** Materialises the layers under scratch, runs every step, snapshots, closes (unmounts), checks invariants. */
    public static Outcome run(Scenario s, Backend backend, Path scratch) throws Exception {
        LayerDirs dirs = s.layers().materialize(scratch.resolve("layers"), backend.markerPrefix());
        List<Tree> lowersBefore = new ArrayList<>();
        for (Path l : dirs.lowers()) {
            lowersBefore.add(Tree.exact(l));
        }
        List<Result> results = new ArrayList<>();
        Tree view;
        io.github.jovl.config.WhiteoutFormat wf;
        String opaquePrefix;
        try (Driver d = backend.open(dirs, scratch)) {
            Op.Ctx ctx = new Op.Ctx(d, new HashMap<>(), new HashMap<>());
            try {
                for (Op op : s.ops()) {
                    results.add(op.apply(ctx));
                }
            } finally {
                for (long h : ctx.handles().values()) {
                    d.close(h); // a mount with files open would not unmount
                }
            }
            view = Tree.view(d);
            wf = d.whiteoutFormat();
            opaquePrefix = d.opaquePrefix();
        }
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < dirs.lowers().size(); i++) {
            String diff = Tree.diff("before", lowersBefore.get(i), "after", Tree.exact(dirs.lowers().get(i)));
            if (!diff.isEmpty()) {
                problems.add("lower" + i + " was changed:\n" + diff);
            }
        }
        problems.addAll(viewInvariants(view));
        if (dirs.work() != null && backend.emptiesWorkdir()) {
            Path ww = dirs.work().resolve("work");
            if (Files.isDirectory(ww)) {
                try (var left = Files.list(ww)) {
                    List<String> names = left.map(p -> p.getFileName().toString()).toList();
                    if (!names.isEmpty()) {
                        problems.add("workdir/work not emptied: " + names);
                    }
                }
            }
        }
        Tree upper = dirs.upper() == null ? null : Tree.markers(dirs.upper());
        return new Outcome(backend.name(), results, view, upper, wf, opaquePrefix, problems);
    }

    /**
     * What must hold in every view: no marker shown (no ".wh." name, no 0/0 char device), every listed name can
     * be looked up, and st_ino unique except among the names of one hard-linked file.
     */
    static List<String> viewInvariants(Tree view) {
        List<String> out = new ArrayList<>();
        Map<Long, List<String>> byIno = new TreeMap<>();
        view.entries().forEach((p, e) -> {
            String name = p.substring(p.lastIndexOf('/') + 1);
            if (name.startsWith(".wh.")) {
                out.add("a marker name is shown: /" + p);
            }
            if (e.kind().equals("char") && "0/0".equals(e.data())) {
                out.add("a 0/0 whiteout is shown: /" + p);
            }
            if (e.kind().startsWith("error")) {
                out.add("listed but not found: /" + p + " " + e.kind());
                return;
            }
            if (e.dtypeMismatch() != null) {
                out.add("d_type of /" + p + " is " + e.dtypeMismatch() + " but the object is " + e.kind());
            }
            byIno.computeIfAbsent(e.ino(), k -> new ArrayList<>()).add(p);
        });
        byIno.forEach((ino, paths) -> {
            if (paths.size() > 1) {
                boolean hardLinks = paths.stream().map(view::get)
                        .allMatch(e -> !e.isDir() && e.nlink() >= paths.size());
                if (!hardLinks) {
                    out.add("st_ino " + ino + " is shared by " + paths + " (not hard links of one file)");
                }
            }
        });
        return out;
    }

    /** Null when the outcome meets the scenario's expectations and invariants, else a full report. */
    public static String verify(Scenario s, Outcome o) {
        List<String> bad = new ArrayList<>();
        List<Op> ops = s.ops();
        for (int i = 0; i < ops.size(); i++) {
            String why = ops.get(i).mismatch(o.results().get(i));
            if (why != null) {
                bad.add("step " + (i + 1) + " " + ops.get(i) + ": " + why);
            }
        }
        for (Check c : s.checks()) {
            String why = c.verify(o);
            if (why != null) {
                bad.add(why);
            }
        }
        bad.addAll(o.problems());
        return bad.isEmpty() ? null : report(s, o, bad);
    }

    /**
     * Null when other did exactly what the oracle did: the same result for every step, the same merged view and
     * the same markers in the upper; else the differences.
     */
    public static String compare(Scenario s, Outcome oracle, Outcome other) {
        return compare(s, oracle, other, true);
    }

    /**
     * As {@link #compare(Scenario, Outcome, Outcome)}; withProblems false leaves out the invariant violations of
     * the two runs, for comparing two runs that are each verified on their own anyway (cache on and off).
     */
    public static String compare(Scenario s, Outcome oracle, Outcome other, boolean withProblems) {
        List<String> bad = new ArrayList<>();
        List<Op> ops = s.ops();
        for (int i = 0; i < ops.size(); i++) {
            Result a = oracle.results().get(i);
            Result b = other.results().get(i);
            if (!Objects.equals(a, b)) {
                bad.add("step " + (i + 1) + " " + ops.get(i) + ": " + oracle.driver() + " " + a + ", "
                        + other.driver() + " " + b);
            }
        }
        String view = Tree.diff(oracle.driver(), oracle.view(), other.driver(), other.view());
        if (!view.isEmpty()) {
            bad.add("merged views differ:\n" + view);
        }
        if (oracle.upper() != null && other.upper() != null) {
            String up = Tree.diff(oracle.driver(), oracle.upper(), other.driver(), other.upper());
            if (!up.isEmpty()) {
                bad.add("upper dirs differ (markers decoded, backend bookkeeping xattrs ignored):\n" + up);
            }
        }
        if (withProblems) {
            for (String p : other.problems()) {
                bad.add(other.driver() + ": " + p);
            }
            for (String p : oracle.problems()) {
                bad.add(oracle.driver() + " (oracle): " + p);
            }
        }
        if (bad.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder("scenario \"" + s.title() + "\": " + other.driver() + " differs from "
                + oracle.driver() + "\n");
        bad.forEach(x -> b.append(" * ").append(x).append('\n'));
        b.append("layers:\n").append(s.layers());
        b.append(steps(s, oracle)).append(steps(s, other));
        return b.toString();
    }

    private static String steps(Scenario s, Outcome o) {
        StringBuilder b = new StringBuilder("steps on " + o.driver() + ":\n");
        List<Op> ops = s.ops();
        for (int i = 0; i < ops.size(); i++) {
            b.append("  ").append(i + 1).append(". ").append(ops.get(i)).append(" -> ").append(o.results().get(i))
                    .append('\n');
        }
        return b.toString();
    }

    private static String report(Scenario s, Outcome o, List<String> bad) {
        StringBuilder b = new StringBuilder("scenario \"" + s.title() + "\" on " + o.driver() + ":\n");
        bad.forEach(x -> b.append(" * ").append(x).append('\n'));
        b.append("layers:\n").append(s.layers());
        b.append(steps(s, o));
        b.append("merged view:\n").append(o.view().render());
        if (o.upper() != null) {
            b.append("upper (markers decoded):\n").append(o.upper().render());
        }
        return b.toString();
    }

    public static boolean root() {
        return Native.geteuid() == 0;
    }
}
