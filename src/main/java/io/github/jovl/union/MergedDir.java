package io.github.jovl.union;

import io.github.jovl.fs.DirEntry;
import io.github.jovl.fs.FileType;
import io.github.jovl.fs.FsException;
import io.github.jovl.fs.RelPath;
import io.github.jovl.fs.Stat;
import io.github.jovl.layer.Layer;
import io.github.jovl.whiteout.Markers;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merged directory listings (the kernel's readdir.c): each contributing layer read once, top first; a name
 * seen above shadows the same name below; a whiteout hides the name in the layers below its own.
 */
final class MergedDir {
    private final Layer[] layers;
    private final Markers markers;
    private final LookupCache cache;
    private final InodeMap inodes;
    private final Lookup lookup;

    MergedDir(Layer[] layers, Markers markers, LookupCache cache, InodeMap inodes, Lookup lookup) {
        this.layers = layers;
        this.lookup = lookup;
        this.markers = markers;
        this.cache = cache;
        this.inodes = inodes;
    }

    /** The visible names of a directory, without "." and "..". */
    List<DirEntry> list(Node dir) throws FsException {
        List<DirEntry> cached = cache.listing(dir.path());
        if (cached != null) {
            return cached;
        }
        Map<String, DirEntry> out = new LinkedHashMap<>();
        Set<String> hidden = new HashSet<>();
        for (Node.LayerDir ld : dir.dirs()) {
            Layer l = layers[ld.layer()];
            List<String> whiteoutsHere = new ArrayList<>();
            for (DirEntry e : l.list(dir.path())) {
                String name = e.name();
                if (Markers.isMarkerName(name)) {
                    if (!name.equals(Markers.OPAQUE_FILE)) {
                        whiteoutsHere.add(name.substring(Markers.WH_PREFIX.length()));
                    }
                    continue;
                }
                if (out.containsKey(name) || hidden.contains(name)) {
                    continue;
                }
                if (mayBeWhiteout(e, ld)) {
                    RelPath p = dir.path().child(name);
                    Stat st = l.lstat(p);
                    if (st == null || markers.isWhiteout(l, p, st, ld.xwhiteouts())) {
                        whiteoutsHere.add(name);
                        continue;
                    }
                }
                // d_ino must equal st_ino: in an impure upper directory an entry may keep its origin's number
                long ino = ld.impure() && ld.layer() == 0 ? lookup.upperIno(dir.path().child(name), e.ino())
                        : inodes.map(ld.layer(), e.ino());
                out.put(name, new DirEntry(name, e.type(), ino));
            }
            // a layer's own whiteouts hide names only in the layers below it
            hidden.addAll(whiteoutsHere);
        }
        List<DirEntry> entries = List.copyOf(out.values());
        cache.putListing(dir.path(), entries);
        return entries;
    }

    private static boolean mayBeWhiteout(DirEntry e, Node.LayerDir ld) {
        return e.type() == FileType.CHAR || (ld.xwhiteouts() && e.type() == FileType.REGULAR);
    }

    /** Whether a directory shows no entries (what rmdir and rename over a directory require). */
    boolean isEmpty(Node dir) throws FsException {
        return list(dir).isEmpty();
    }

    /**
     * Removes the markers inside an upper directory that is empty in the merged view, before it is removed or
     * replaced; anything else left there means the directory was not empty after all.
     */
    void clearMarkers(Layer upper, RelPath dir) throws FsException {
        for (DirEntry e : upper.list(dir)) {
            RelPath p = dir.child(e.name());
            Stat st = upper.lstat(p);
            if (st == null) {
                continue;
            }
            if (Markers.isMarkerName(e.name()) || Markers.isChardevWhiteout(st)
                    || markers.isWhiteout(upper, p, st, true)) {
                upper.unlink(p);
            } else {
                throw FsException.of(io.github.jovl.fs.Errno.ENOTEMPTY, dir);
            }
        }
    }
}
