package io.github.jovl.union;

import io.github.jovl.fs.FsException;
import io.github.jovl.fs.Stat;
import io.github.jovl.layer.Layer;
import java.util.ArrayList;
import java.util.List;

/**
 * Overlay inode numbers, as the kernel's xino: when every layer is on one filesystem the real numbers are already
 * unique and are used as they are; otherwise the high bits carry the index of the layer's filesystem. Copy-up
 * records the number of the original in an xattr, so an object keeps its number when it moves to the upper.
 */
final class InodeMap {
    private final int[] fsOfLayer;
    private final int shift;

    InodeMap(Layer[] layers) throws FsException {
        List<Long> devs = new ArrayList<>();
        fsOfLayer = new int[layers.length];
        for (int i = 0; i < layers.length; i++) {
            long dev = layers[i].lstat(io.github.jovl.fs.RelPath.ROOT).dev();
            int idx = devs.indexOf(dev);
            if (idx < 0) {
                devs.add(dev);
                idx = devs.size() - 1;
            }
            fsOfLayer[i] = idx;
        }
        int bits = devs.size() <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(devs.size() - 1);
        shift = 64 - bits;
    }

    long map(int layer, long realIno) {
        if (shift == 64) {
            return realIno;
        }
        long fs = fsOfLayer[layer];
        if ((realIno >>> shift) == 0) {
            return (fs << shift) | realIno;
        }
        // a real number too wide for xino: mix it, as the kernel falls back to a non-persistent number
        long h = realIno * 0x9E3779B97F4A7C15L + fs;
        return h ^ (h >>> 29);
    }

    long map(int layer, Stat st) {
        return map(layer, st.ino());
    }
}
