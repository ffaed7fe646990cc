package io.github.jovl.fuse;

import io.github.jovl.config.MountOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * The libfuse2 command line for a mount: the user's FUSE options plus the ones jovl needs, each with its reason.
 * A user's own value for an option wins over jovl's default.
 */
public final class FuseArgs {
    private FuseArgs() {
    }

    /**
     * @param root   a root daemon mounts with allow_other, as fuse-overlayfs does: the overlay is for every user
     * @param single single-threaded FUSE loop (libfuse's -s)
     */
    public static List<String> of(MountOptions o, boolean root, boolean single) {
        List<String> opts = new ArrayList<>();
        defaults(o, opts, "fsname=jovl", "subtype=jovl");
        // st_ino from the engine; without it GNU tar fails "Directory renamed before its status could be
        // extracted", and readdir's d_ino would not match stat
        opts.add("use_ino");
        // unlink of an open file removes the name now, as on the kernel, instead of a visible .fuse_hidden file
        opts.add("hard_remove");
        // the kernel overlay mounts over non-empty directories too
        opts.add("nonempty");
        // the kernel checks permission bits itself: the engine leaves them to it
        opts.add("default_permissions");
        if (root && !o.hasFuseOption("allow_root")) {
            opts.add("allow_other");
        }
        // writes otherwise arrive in 4 KiB pieces, about 3x slower
        opts.add("big_writes");
        defaults(o, opts, "max_write=131072");
        // page cache kept across opens unless the file's mtime or size changed: safe even for a hard link
        // written through another name, which kernel_cache would serve stale
        if (!o.hasFuseOption("kernel_cache") && !o.hasFuseOption("noauto_cache")) {
            defaults(o, opts, "auto_cache");
        }
        // no attribute caching: libfuse2's path API gives each hard-link name its own kernel inode, and a copy-up
        // turns a directory into a merged one (nlink 1) with no way to tell the kernel; a cached stat would then
        // be stale, and auto_cache would keep stale pages on open (found by the FUSE differential run)
        defaults(o, opts, "attr_timeout=0");
        // only this daemon changes the upper, and every change goes through the kernel's dcache, so a name
        // that was absent stays absent until created through this mount
        defaults(o, opts, "negative_timeout=1");
        // for the same reason a name that was found keeps meaning the same object: creating, removing and renaming
        // go through the kernel, which updates its dentries, and a copy-up changes no name. libfuse2's default of
        // 1 s re-sent a LOOKUP for every name of a tree walk that took longer (1 request in 10 of a warm ls -lR).
        // Attributes are still asked for every time (attr_timeout above).
        defaults(o, opts, "entry_timeout=60");
        if (o.readOnly() || o.upper() == null) {
            // the kernel overlay is read-only without an upperdir; the VFS then says EROFS before asking us
            opts.add("ro");
        }
        for (String f : o.fuseOptions()) {
            opts.add(f);
        }
        List<String> args = new ArrayList<>();
        if (single) {
            args.add("-s");
        }
        args.add("-o");
        args.add(join(opts));
        return args;
    }

    private static void defaults(MountOptions o, List<String> opts, String... keyValues) {
        for (String kv : keyValues) {
            int eq = kv.indexOf('=');
            if (!o.hasFuseOption(eq < 0 ? kv : kv.substring(0, eq))) {
                opts.add(kv);
            }
        }
    }

    /** libfuse's option parser takes '\' as an escape, so a ',' inside a value (an fsname) survives. */
    private static String join(List<String> opts) {
        StringBuilder b = new StringBuilder();
        for (String o : opts) {
            if (b.length() > 0) {
                b.append(',');
            }
            for (char c : o.toCharArray()) {
                if (c == ',' || c == '\\') {
                    b.append('\\');
                }
                b.append(c);
            }
        }
        return b.toString();
    }
}
