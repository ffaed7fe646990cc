package io.github.jovl.mount;

import io.github.jovl.config.MountOptions;
import io.github.jovl.config.WhiteoutFormat;
import io.github.jovl.config.XattrNamespace;
import io.github.jovl.kernel.KernelProbe;
import io.github.jovl.kernel.KernelSupport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides which backend serves a mount, and says why in words. The kernel is chosen when the probe finds a
 * usable kernel overlay on the upper's filesystem and nothing asked for jovl's own behaviour. For each option
 * only FUSE understands:
 * <table>
 * <tr><th>option</th><th>with the kernel backend</th></tr>
 * <tr><td>whiteout=whfile, cache=off, threaded=N, jovl mount -d, --trace</td><td>forces FUSE (auto), refused
 * (kernel): they ask for what only jovl's engine does</td></tr>
 * <tr><td>fsname=, subtype=, max_write=, big_writes, auto_cache, kernel_cache, noauto_cache, attr_timeout=,
 * entry_timeout=, negative_timeout=, use_ino, hard_remove, nonempty</td><td>dropped with a warning: FUSE tuning
 * that has no kernel meaning</td></tr>
 * <tr><td>allow_other, allow_root, default_permissions</td><td>dropped quietly: a kernel overlay already behaves
 * so</td></tr>
 * </table>
 * Any other FUSE option forces FUSE (auto) or is refused (kernel), rather than being silently lost.
 */
public final class BackendChoice {
    private static final Set<String> DROPPED_WITH_WARNING = Set.of("fsname", "subtype", "max_write", "big_writes",
            "auto_cache", "kernel_cache", "noauto_cache", "attr_timeout", "entry_timeout", "negative_timeout",
            "use_ino", "hard_remove", "nonempty", "max_read", "large_read");
    private static final Set<String> DROPPED_QUIETLY = Set.of("allow_other", "allow_root", "default_permissions");

    /**
     * @param backend  KERNEL or FUSE
     * @param why      for an auto choice of FUSE: the one line saying why the kernel was not used; else null
     * @param warnings options dropped because the kernel backend has no use for them
     * @param kernelExtras kernel options to add (userxattr, volatile)
     */
    public record Choice(Backend backend, String why, List<String> warnings, List<String> kernelExtras) {
    }

    private BackendChoice() {
    }

    /** jovlOnly: the caller asked for something only the FUSE engine does (-d, --trace), named for the message. */
    public static Choice choose(Backend requested, MountOptions o, String jovlOnly) {
        if (requested == Backend.FUSE) {
            return new Choice(Backend.FUSE, null, List.of(), List.of());
        }
        List<String> warnings = new ArrayList<>();
        String blocker = jovlOnly != null ? jovlOnly : engineOnly(o, warnings);
        if (blocker == null) {
            KernelSupport k = KernelProbe.probe(scratchDir(o), o.xattrNamespace() == XattrNamespace.USER);
            if (!k.usable()) {
                blocker = k.reason();
            } else {
                List<String> extras = new ArrayList<>();
                if (k.userxattr()) {
                    extras.add("userxattr");
                }
                if (!o.syncCopyUp() && o.upper() != null) {
                    extras.add("volatile");
                }
                return new Choice(Backend.KERNEL, null, warnings, extras);
            }
        }
        if (requested == Backend.KERNEL) {
            throw new IllegalArgumentException("the kernel backend cannot do this mount: " + blocker);
        }
        return new Choice(Backend.FUSE, "kernel overlay not used: " + blocker + "; using FUSE", List.of(), List.of());
    }

    /** The reason the kernel cannot serve these options, or null; fills warnings with what it would drop. */
    static String engineOnly(MountOptions o, List<String> warnings) {
        if (o.whiteout() == WhiteoutFormat.WHFILE) {
            return "whiteout=whfile asks for .wh. files, which the kernel does not write";
        }
        if (!o.cache()) {
            return "cache=off is an option of jovl's engine";
        }
        if (o.threaded() != null) {
            return "threaded= is an option of the FUSE daemon";
        }
        for (String f : o.fuseOptions()) {
            String key = f.contains("=") ? f.substring(0, f.indexOf('=')) : f;
            if (DROPPED_WITH_WARNING.contains(key)) {
                warnings.add("FUSE option '" + f + "' has no meaning for a kernel overlay; dropped");
            } else if (!DROPPED_QUIETLY.contains(key)) {
                return "FUSE option '" + f + "' has no kernel equivalent";
            }
        }
        return null;
    }

    /** The probe must run on the upper's filesystem: the workdir's parent is on it and is ours to write. */
    private static Path scratchDir(MountOptions o) {
        return o.work() != null ? o.work() : Path.of(System.getProperty("java.io.tmpdir"));
    }
}
