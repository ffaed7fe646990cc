package io.github.jovl.scenario;

import io.github.jovl.sys.Native;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A layer set: lowers top first, and an upper (empty unless given), or none for a read-only overlay.
 * {@link #materialize} makes a fresh, identical copy for each driver run.
 */
public final class Layers {
    private final List<LayerSpec> lowers;
    private final LayerSpec upper;
    private final boolean readOnly;

    private Layers(List<LayerSpec> lowers, LayerSpec upper, boolean readOnly) {
        this.lowers = List.copyOf(lowers);
        this.upper = upper;
        this.readOnly = readOnly;
    }

    /** Lowers, top-most first, under an empty upper. */
    public static Layers lowers(LayerSpec... topFirst) {
        return new Layers(List.of(topFirst), LayerSpec.layer(), false);
    }

    public Layers upper(LayerSpec u) {
        return new Layers(lowers, u, false);
    }

    /** No upper and no workdir: every change must fail with EROFS. */
    public Layers readOnly() {
        return new Layers(lowers, null, true);
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    public boolean kernelReadable() {
        return lowers.stream().allMatch(LayerSpec::kernelReadable) && (upper == null || upper.kernelReadable());
    }

    /** Whether any layer holds kernel-form xattr markers (trusted.* unless written for a userxattr mount). */
    public boolean xattrMarkers() {
        return lowers.stream().anyMatch(LayerSpec::xattrMarkers) || upper != null && upper.xattrMarkers();
    }

    /** A fresh copy under root, kernel-form xattr markers written under markerPrefix ("trusted.overlay."...). */
    public LayerDirs materialize(Path root, String markerPrefix) throws Exception {
        Files.createDirectories(root);
        List<Path> ls = new ArrayList<>();
        for (int i = 0; i < lowers.size(); i++) {
            Path l = Files.createDirectories(root.resolve("lower" + i));
            Native.chmod(l.toString(), 0755);
            lowers.get(i).materialize(l, markerPrefix, FixtureTimes.lowerSec(i));
            ls.add(l);
        }
        if (readOnly) {
            return new LayerDirs(ls, null, null);
        }
        Path u = Files.createDirectories(root.resolve("upper"));
        Native.chmod(u.toString(), 0755);
        upper.materialize(u, markerPrefix, FixtureTimes.UPPER_SEC);
        Path w = Files.createDirectories(root.resolve("work"));
        return new LayerDirs(ls, u, w);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (!readOnly) {
            b.append("upper: ").append(upper).append('\n');
        }
        for (int i = 0; i < lowers.size(); i++) {
            b.append("lower").append(i).append(": ").append(lowers.get(i)).append('\n');
        }
        return b.toString();
    }
}
