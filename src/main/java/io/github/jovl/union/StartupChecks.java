package io.github.jovl.union;

import io.github.jovl.config.OverlayConfig;
import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FsException;
import io.github.jovl.fs.RelPath;
import io.github.jovl.fs.Stat;
import io.github.jovl.layer.Layer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The checks the kernel makes at mount time, each failing with one sentence that names the problem and the fix. */
final class StartupChecks {
    private StartupChecks() {
    }

    static void check(OverlayConfig c) throws FsException {
        if (c.lowers().isEmpty()) {
            throw invalid(null, "lowerdir= needs at least one directory");
        }
        if (c.lowers().size() > OverlayConfig.MAX_LOWERS) {
            throw invalid(null, "lowerdir= has " + c.lowers().size() + " directories; the limit is "
                    + OverlayConfig.MAX_LOWERS);
        }
        if ((c.upper() == null) != (c.work() == null)) {
            throw invalid(null, c.upper() == null ? "workdir= needs upperdir= as well"
                    : "upperdir= needs workdir= as well (an empty directory on the same filesystem)");
        }
        List<Path> real = new ArrayList<>();
        for (Path l : c.lowers()) {
            real.add(existingDir(l, "lowerdir"));
        }
        if (c.upper() == null) {
            return;
        }
        Path upper = existingDir(c.upper(), "upperdir");
        Path work = existingDir(c.work(), "workdir");
        long upperDev = new Layer(upper, 0, true).lstat(RelPath.ROOT).dev();
        long workDev = new Layer(work, 0, false).lstat(RelPath.ROOT).dev();
        if (upperDev != workDev) {
            throw invalid(work, "upperdir " + upper + " and workdir " + work
                    + " are on different filesystems; put the workdir on the upper's filesystem");
        }
        overlap(upper, "upperdir", work, "workdir", Errno.EINVAL);
        for (int i = 0; i < real.size(); i++) {
            // the kernel's errno for layers that overlap: a lookup could loop through them
            overlap(upper, "upperdir", real.get(i), "lowerdir " + c.lowers().get(i), Errno.ELOOP);
            overlap(work, "workdir", real.get(i), "lowerdir " + c.lowers().get(i), Errno.ELOOP);
        }
    }

    private static Path existingDir(Path p, String what) throws FsException {
        if (!p.isAbsolute()) {
            p = p.toAbsolutePath();
        }
        Stat st = new Layer(p, 0, false).lstat(RelPath.ROOT);
        Path real;
        try {
            real = p.toRealPath();
        } catch (IOException e) {
            real = null;
        }
        if (st == null || real == null) {
            throw FsException.withMessage(Errno.ENOENT, p.toString(), what + " " + p + " does not exist; create it"
                    + " or fix the path");
        }
        Stat target = new Layer(real, 0, false).lstat(RelPath.ROOT);
        if (target == null || !target.isDir()) {
            // EINVAL, as mount(2) of a kernel overlay says for a layer that is not a directory
            throw FsException.withMessage(Errno.EINVAL, p.toString(), what + " " + p + " is not a directory");
        }
        return real;
    }

    private static void overlap(Path a, String aName, Path b, String bName, Errno errno) throws FsException {
        if (a.startsWith(b) || b.startsWith(a)) {
            throw FsException.withMessage(errno, a.toString(), aName + " " + a + " and " + bName
                    + " overlap (one lies inside the other); use separate directories");
        }
    }

    private static FsException invalid(Path p, String message) {
        return FsException.withMessage(Errno.EINVAL, p == null ? null : p.toString(), message);
    }
}
