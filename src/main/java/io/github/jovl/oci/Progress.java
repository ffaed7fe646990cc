package io.github.jovl.oci;

/** Told how far an import or export has got; the CLI draws it, tests and library callers ignore it. */
public interface Progress {
    Progress NONE = (bytes, entries) -> { };

    /** @param bytes bytes of the archive read or written so far; entries: tar entries so far */
    void update(long bytes, long entries);

    default void done() {
    }
}
