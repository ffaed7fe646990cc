package io.github.jovl.scenario;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One semantic rule as a table row: the layers it starts from, the steps (each with its expected result), and
 * the end-state checks. Kernel-comparable unless its layers use markers the kernel does not read or it is
 * declared engine-only (with the reason).
 */
public final class Scenario {
    private final String rule;
    private final String name;
    private Layers layers = Layers.lowers(LayerSpec.layer());
    private final List<Op> ops = new ArrayList<>();
    private final List<Check> checks = new ArrayList<>();
    private String engineOnly;
    private boolean root;

    private Scenario(String rule, String name) {
        this.rule = rule;
        this.name = name;
    }

    /** rule: the number and short name of the semantic rule ("4 copy-up"); name: what this row shows. */
    public static Scenario of(String rule, String name) {
        return new Scenario(rule, name);
    }

    public Scenario layers(Layers l) {
        layers = l;
        return this;
    }

    public Scenario does(Op... steps) {
        ops.addAll(Arrays.asList(steps));
        return this;
    }

    public Scenario expect(Check... c) {
        checks.addAll(Arrays.asList(c));
        return this;
    }

    /** Not compared with the kernel; why says where jovl deliberately differs or what the kernel cannot read. */
    public Scenario engineOnly(String why) {
        engineOnly = why;
        return this;
    }

    /**
     * Needs root's powers (chown, other owners in fixtures, devices, trusted.* xattrs that are not markers):
     * skipped otherwise, except under CI. Kernel-form markers alone do not need it: an unprivileged run writes
     * them as user.overlay.*.
     */
    public Scenario root() {
        root = true;
        return this;
    }

    public String title() {
        return rule + ": " + name;
    }

    public Layers layers() {
        return layers;
    }

    public List<Op> ops() {
        return List.copyOf(ops);
    }

    public List<Check> checks() {
        return List.copyOf(checks);
    }

    /** Whether a run in the kernel's root form needs root: its own powers, or trusted.* markers in its layers. */
    public boolean needsRoot() {
        return root || layers.xattrMarkers();
    }

    /** Whether it needs what no unprivileged user has, even with its markers in the user.overlay.* form. */
    public boolean needsRootPowers() {
        return root;
    }

    public boolean kernelComparable() {
        return engineOnly == null && layers.kernelReadable();
    }

    public String engineOnlyReason() {
        return engineOnly != null ? engineOnly : layers.kernelReadable() ? null
                : "its layers use marker forms the kernel does not read";
    }

    @Override
    public String toString() {
        return title();
    }
}
