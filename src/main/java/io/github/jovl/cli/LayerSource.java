package io.github.jovl.cli;

import io.github.jovl.config.MountOptions;
import io.github.jovl.config.OverlayConfig;
import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FsException;
import io.github.jovl.mount.MountRecords;
import io.github.jovl.mount.MountTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds the layers behind a path for the commands that read them (explain, diff): the jovl mount that contains
 * the path, or the layers given with --layers in mount-option syntax. Returns them with the path made relative
 * to the merged root.
 */
final class LayerSource {
    record Found(OverlayConfig config, Path mountpoint, String relative) {
    }

    private LayerSource() {
    }

    /** --layers "lowerdir=A:B,upperdir=U,workdir=W": the path is taken as relative to the merged root. */
    static Found fromOptions(String layers, String path) throws Exception {
        MountOptions o = MountOptions.parse(List.of(layers)).absolute(Path.of("").toAbsolutePath());
        return new Found(o.overlayConfig(), null, path);
    }

    /** The innermost jovl mount (FUSE or kernel) whose mountpoint contains path. */
    static Found fromMount(Path path) throws Exception {
        Path abs = path.toAbsolutePath().normalize();
        Path probe = Files.exists(abs) ? abs.toRealPath() : abs;
        MountTable table = MountTable.read();
        for (Path p = probe; p != null; p = p.getParent()) {
            Optional<MountRecords.Record> r = MountRecords.find(p);
            if (r.isPresent()) {
                MountRecords.Record rec = r.get();
                OverlayConfig c = OverlayConfig.builder().lowers(rec.lowers()).upper(rec.upper()).work(rec.work())
                        .build();
                return new Found(c, p, p.relativize(probe).toString());
            }
            MountTable.Entry e = table.top(p);
            if (e != null && !p.equals(p.getRoot())) {
                if (!(e.isFuse() || e.fsType().equals("overlay"))) {
                    break; // another filesystem lies in between: the path is not inside a jovl mount
                }
            }
        }
        throw FsException.withMessage(Errno.EINVAL, abs.toString(), abs + " is not inside a jovl mount; give"
                + " the layers with --layers lowerdir=...,upperdir=...");
    }
}
