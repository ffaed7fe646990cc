package io.github.jovl.mount;

import java.util.Locale;

/** How a mount is served: kernel overlayfs, the FUSE daemon, or auto (the kernel where it can, else FUSE). */
public enum Backend {
    AUTO, KERNEL, FUSE;

    public static Backend parse(String name) {
        for (Backend b : values()) {
            if (b.toString().equals(name.toLowerCase(Locale.ROOT))) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown backend '" + name + "'; use --backend=auto, kernel or fuse");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
