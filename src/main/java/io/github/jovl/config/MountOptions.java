package io.github.jovl.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code -o} asked for, after {@link MountOptionParser} has read it: the overlay's layers and settings, the
 * options that go to FUSE untouched, and a warning for each option that was understood but has no effect.
 *
 * @param lowers      top-most first, as in lowerdir=
 * @param upper       null for a read-only overlay
 * @param readOnly    "ro" was given (the mount is read-only even with an upperdir, as on the kernel)
 * @param threaded    null: the default; else threaded=1/0 (fuse-overlayfs's option)
 * @param fuseOptions passed to libfuse as given, unescaped ("allow_other", "fsname=x")
 */
public record MountOptions(List<Path> lowers, Path upper, Path work, WhiteoutFormat whiteout,
                           XattrNamespace xattrNamespace, boolean cache, boolean syncCopyUp, boolean readOnly,
                           Boolean threaded, List<String> fuseOptions, List<String> warnings) {

    public MountOptions {
        lowers = List.copyOf(lowers);
        fuseOptions = List.copyOf(fuseOptions);
        warnings = List.copyOf(warnings);
    }

    /** Reads the values of every -o given, in order; a later option overrides an earlier one. */
    public static MountOptions parse(List<String> dashO) throws MountOptionException {
        return MountOptionParser.parse(dashO);
    }

    public OverlayConfig overlayConfig() {
        return OverlayConfig.builder().lowers(lowers).upper(upper).work(work).whiteout(whiteout)
                .xattrNamespace(xattrNamespace).cache(cache).syncCopyUp(syncCopyUp).build();
    }

    /** The same options with every layer path made absolute against dir (a daemon runs in "/"). */
    public MountOptions absolute(Path dir) {
        List<Path> ls = new ArrayList<>();
        for (Path l : lowers) {
            ls.add(dir.resolve(l).normalize());
        }
        return new MountOptions(ls, upper == null ? null : dir.resolve(upper).normalize(),
                work == null ? null : dir.resolve(work).normalize(), whiteout, xattrNamespace, cache, syncCopyUp,
                readOnly, threaded, fuseOptions, warnings);
    }

    /** True when the user gave this FUSE option (with or without a value). */
    public boolean hasFuseOption(String key) {
        for (String o : fuseOptions) {
            if (o.equals(key) || o.startsWith(key + "=")) {
                return true;
            }
        }
        return false;
    }

    /**
     * One -o string that {@link #parse} reads back to an equal value (warnings aside: the options that caused
     * them are dropped), with the kernel's escaping.
     */
    public String toOptionString() {
        List<String> parts = new ArrayList<>();
        List<String> ls = new ArrayList<>();
        for (Path l : lowers) {
            ls.add(OptionSyntax.escape(l.toString()));
        }
        parts.add("lowerdir=" + String.join(":", ls));
        if (upper != null) {
            parts.add("upperdir=" + OptionSyntax.escape(upper.toString()));
        }
        if (work != null) {
            parts.add("workdir=" + OptionSyntax.escape(work.toString()));
        }
        parts.add("whiteout=" + whiteout.name().toLowerCase());
        parts.add("xattr_namespace=" + xattrNamespace.name().toLowerCase());
        parts.add("cache=" + (cache ? "on" : "off"));
        if (!syncCopyUp) {
            parts.add("volatile");
        }
        if (readOnly) {
            parts.add("ro");
        }
        if (threaded != null) {
            parts.add("threaded=" + (threaded ? "1" : "0"));
        }
        for (String o : fuseOptions) {
            parts.add(OptionSyntax.escape(o));
        }
        return String.join(",", parts);
    }
}
