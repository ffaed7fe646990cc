package io.github.jovl.mount;

import java.util.Locale;

/**
 * How a mount is served. Only the FUSE daemon exists so far; kernel overlayfs delegation and "auto" (kernel
 * where it can, else FUSE) come with their own issue, and are refused by name until then.
 */
public enum Backend {
    FUSE;

    public static Backend parse(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("fuse")) {
            return FUSE;
        }
        if (n.equals("kernel") || n.equals("auto")) {
            throw new IllegalArgumentException("--backend=" + name + " is not available yet; --backend=fuse is"
                    + " the only backend so far");
        }
        throw new IllegalArgumentException("unknown backend '" + name + "'; use --backend=fuse");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
