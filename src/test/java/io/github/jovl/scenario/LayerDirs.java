package io.github.jovl.scenario;

import java.nio.file.Path;
import java.util.List;

/** The real directories of one materialised layer set; upper and work are null for a read-only overlay. */
public record LayerDirs(List<Path> lowers, Path upper, Path work) {
    public LayerDirs {
        lowers = List.copyOf(lowers);
    }
}
