package io.github.jovl.config;

/** The xattr namespace of the markers jovl writes (overlay.opaque and friends). */
public enum XattrNamespace {
    /** trusted.* where the filesystem lets us set it (root), else user.*: decided by a probe in the workdir. */
    AUTO,
    /** trusted.overlay.*, what a root kernel mount reads. */
    TRUSTED,
    /** user.overlay.*, what a kernel mount with userxattr reads. */
    USER;

    public String prefix() {
        return this == USER ? "user.overlay." : "trusted.overlay.";
    }
}
