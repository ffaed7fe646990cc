package io.github.jovl.mount;

import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a helper program (fusermount3...) can be run: the one PATH lookup the commands share. */
public final class Programs {
    private Programs() {
    }

    public static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
