package io.github.jovl.union;

import io.github.jovl.fs.RelPath;

/**
 * The semantic events of an overlay, for people learning what it does (`jovl mount --trace`). Called on the
 * thread doing the work, under the engine's lock: implementations must be quick and must not call back in.
 */
public interface OverlayEvents {
    OverlayEvents NONE = new OverlayEvents() {
    };

    /** An object was copied from a lower layer into the upper. */
    default void copiedUp(RelPath path, String fromLayer, long bytes, long nanos) {
    }

    /** A whiteout now hides path in the lower layers; form is "chardev" or "whfile". */
    default void whiteoutCreated(RelPath path, String form) {
    }

    /** A directory was made opaque; form names the xattr or ".wh..wh..opq". */
    default void opaqueCreated(RelPath path, String form) {
    }

    /** A lookup that was not in the cache and had to search more than one layer. */
    default void lookupMiss(RelPath path, int layersSearched, long nanos) {
    }
}
