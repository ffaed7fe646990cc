package io.github.jovl.oci;

import io.github.jovl.config.XattrNamespace;
import io.github.jovl.sys.Native;
import io.github.jovl.whiteout.Markers;
import java.util.function.Consumer;

/**
 * How a layer is written to disk.
 *
 * @param privileged root: owners, devices, trusted.* xattrs and 0/0 whiteouts can be written
 * @param markers    the on-disk whiteout and opaque form
 * @param warnings   where skipped items are reported (devices as non-root, xattrs the filesystem refuses)
 */
public record UnpackOptions(boolean privileged, Markers markers, Consumer<String> warnings) {
    /** Root writes what a root kernel overlay reads; anyone else writes what jovl's FUSE mount reads. */
    public static UnpackOptions forCurrentUser(boolean userXattrs, Consumer<String> warnings) {
        boolean root = Native.geteuid() == 0;
        Markers m = root ? new Markers(true, XattrNamespace.TRUSTED, true)
                : new Markers(false, XattrNamespace.USER, userXattrs);
        return new UnpackOptions(root, m, warnings);
    }
}
