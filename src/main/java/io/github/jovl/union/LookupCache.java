package io.github.jovl.union;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.jovl.fs.DirEntry;
import io.github.jovl.fs.RelPath;
import java.util.List;
import java.util.Optional;

/**
 * Bounded caches of lookups (including negative ones) and merged listings. Each mutation invalidates exactly
 * the names it changes; renaming or removing a directory drops everything below it. With caching off every
 * call misses, and the engine must behave the same.
 */
final class LookupCache {
    private final Cache<RelPath, Optional<Node>> nodes;
    private final Cache<RelPath, List<DirEntry>> listings;

    LookupCache(boolean enabled, int size) {
        int n = enabled ? Math.max(size, 1) : 0;
        nodes = Caffeine.newBuilder().maximumSize(n).build();
        listings = Caffeine.newBuilder().maximumSize(Math.max(n / 16, enabled ? 64 : 0)).build();
    }

    /** null: not cached; empty: cached as absent. */
    Optional<Node> node(RelPath p) {
        return nodes.getIfPresent(p);
    }

    void putNode(RelPath p, Node n) {
        nodes.put(p, Optional.ofNullable(n));
    }

    List<DirEntry> listing(RelPath dir) {
        return listings.getIfPresent(dir);
    }

    void putListing(RelPath dir, List<DirEntry> entries) {
        listings.put(dir, entries);
    }

    /** A name appeared, vanished or changed layer: forget it and its parent's listing. */
    void changed(RelPath p) {
        nodes.invalidate(p);
        if (!p.isRoot()) {
            listings.invalidate(p.parent());
        }
        listings.invalidate(p);
    }

    /** A directory moved or went away: forget everything at or below it. */
    void changedTree(RelPath p) {
        changed(p);
        nodes.asMap().keySet().removeIf(k -> k.startsWith(p));
        listings.asMap().keySet().removeIf(k -> k.startsWith(p));
    }
}
