package io.github.jovl.config;

/** How whiteouts are written. Reading always understands every form. */
public enum WhiteoutFormat {
    /** A 0/0 char device where mknod is allowed, else a .wh. file: decided by a probe in the workdir. */
    AUTO,
    /** A 0/0 character device, the kernel's form. */
    CHARDEV,
    /** An empty ".wh.NAME" file beside NAME, the AUFS and fuse-overlayfs form. */
    WHFILE
}
