package io.github.jovl.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the union engine needs to know: the lowers (top first), an optional upper and workdir (without them the
 * overlay is read-only), the marker formats, the lookup cache, and whether copy-up is fsynced.
 */
public record OverlayConfig(List<Path> lowers, Path upper, Path work, WhiteoutFormat whiteout,
                            XattrNamespace xattrNamespace, boolean cache, int cacheSize, boolean syncCopyUp) {
    public static final int MAX_LOWERS = 500;

    public OverlayConfig {
        lowers = List.copyOf(lowers);
        Objects.requireNonNull(whiteout, "whiteout");
        Objects.requireNonNull(xattrNamespace, "xattrNamespace");
    }

    public boolean readOnly() {
        return upper == null;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final List<Path> lowers = new ArrayList<>();
        private Path upper;
        private Path work;
        private WhiteoutFormat whiteout = WhiteoutFormat.AUTO;
        private XattrNamespace xattrNamespace = XattrNamespace.AUTO;
        private boolean cache = !"off".equals(System.getenv("JOVL_CACHE"));
        private int cacheSize = 100_000;
        private boolean syncCopyUp = true;

        /** Lower dirs, top-most first, as in lowerdir=. */
        public Builder lowers(List<Path> dirs) {
            lowers.clear();
            lowers.addAll(dirs);
            return this;
        }

        public Builder lower(Path dir) {
            lowers.add(dir);
            return this;
        }

        public Builder upper(Path dir) {
            upper = dir;
            return this;
        }

        public Builder work(Path dir) {
            work = dir;
            return this;
        }

        public Builder whiteout(WhiteoutFormat f) {
            whiteout = f;
            return this;
        }

        public Builder xattrNamespace(XattrNamespace ns) {
            xattrNamespace = ns;
            return this;
        }

        /** The lookup cache on or off (the JOVL_CACHE=off environment variable turns it off by default). */
        public Builder cache(boolean on) {
            cache = on;
            return this;
        }

        public Builder cacheSize(int entries) {
            cacheSize = entries;
            return this;
        }

        /** fsync each copied-up file before it is renamed into place (kernel default; off = "volatile"). */
        public Builder syncCopyUp(boolean on) {
            syncCopyUp = on;
            return this;
        }

        public OverlayConfig build() {
            return new OverlayConfig(lowers, upper, work, whiteout, xattrNamespace, cache, cacheSize, syncCopyUp);
        }
    }
}
