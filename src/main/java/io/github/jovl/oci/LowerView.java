package io.github.jovl.oci;

import io.github.jovl.config.OverlayConfig;
import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FsException;
import io.github.jovl.fs.RelPath;
import io.github.jovl.fs.Stat;
import io.github.jovl.union.Overlay;
import java.nio.file.Path;
import java.util.List;

/**
 * What the lower layers show, asked of the engine's own lookup (a read-only inspection of the lowers), so export
 * and `jovl diff` can never disagree with a mount about whether a name exists below the upper.
 */
public final class LowerView {
    private final List<Path> lowers;
    private Overlay view;

    /** @param lowers the lower layer roots, top first */
    public LowerView(List<Path> lowers) {
        this.lowers = List.copyOf(lowers);
    }

    /** The attributes of the object the lowers show at p, or null when they show nothing there. */
    public Stat lookup(RelPath p) throws FsException {
        if (lowers.isEmpty()) {
            return null;
        }
        if (view == null) {
            view = Overlay.inspect(OverlayConfig.builder().lowers(lowers).build());
        }
        try {
            return view.getattr(p);
        } catch (FsException e) {
            if (e.errno() == Errno.ENOENT || e.errno() == Errno.ENOTDIR) {
                return null;
            }
            throw e;
        }
    }
}
