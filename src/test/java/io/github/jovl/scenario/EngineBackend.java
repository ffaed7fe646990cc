package io.github.jovl.scenario;

import io.github.jovl.config.OverlayConfig;
import io.github.jovl.config.WhiteoutFormat;
import io.github.jovl.config.XattrNamespace;
import java.nio.file.Path;

/** The engine as a scenario backend, with one whiteout format, marker namespace and cache setting. */
public record EngineBackend(WhiteoutFormat whiteout, XattrNamespace namespace, boolean cache)
        implements Runner.Backend {
    @Override
    public String name() {
        return "engine[" + whiteout.name().toLowerCase() + ", cache " + (cache ? "on" : "off") + "]";
    }

    public OverlayConfig config(LayerDirs dirs) {
        OverlayConfig.Builder b = OverlayConfig.builder().lowers(dirs.lowers()).whiteout(whiteout)
                .xattrNamespace(namespace).cache(cache);
        if (dirs.upper() != null) {
            b.upper(dirs.upper()).work(dirs.work());
        }
        return b.build();
    }

    @Override
    public Driver open(LayerDirs dirs, Path scratch) throws Exception {
        return new EngineDriver(config(dirs));
    }
}
