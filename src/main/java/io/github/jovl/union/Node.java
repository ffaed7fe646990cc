package io.github.jovl.union;

import io.github.jovl.fs.RelPath;
import io.github.jovl.fs.Stat;
import java.util.List;

/**
 * The result of a lookup: which layer serves a path, and, for a directory, which layers contribute entries.
 * A node records where things are, not their attributes: getattr reads the real file again, so writes and
 * chmods never make a cached node stale. Only changes to the names of a directory do.
 *
 * @param layer the index of the top layer holding the object (0 is the upper when there is one)
 * @param dirs for a directory, the layers whose real directory merges into it, top first, cut at an opaque one
 * @param ino the stable inode number the overlay reports
 */
record Node(RelPath path, Stat stat, int layer, List<LayerDir> dirs, long ino) {

    /**
     * One layer's real directory in a merged directory. xwhiteouts: its entries may be xattr whiteouts; impure:
     * its entries may carry the inode number of their copy-up origin.
     */
    record LayerDir(int layer, boolean xwhiteouts, boolean impure) {
    }

    boolean isDir() {
        return stat.isDir();
    }

    /** A directory that more than one layer contributes to; the kernel reports nlink 1 for these. */
    boolean isMerged() {
        return dirs.size() > 1;
    }
}
