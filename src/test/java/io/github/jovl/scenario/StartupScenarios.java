package io.github.jovl.scenario;

import io.github.jovl.config.OverlayConfig;
import io.github.jovl.fs.Errno;
import io.github.jovl.sys.Native;
import io.github.jovl.union.Overlay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Rule 10, start-up checks: configurations the engine must refuse when it opens, each with a clear error. The
 * message must name the problem and the offending path, so a user can fix it without reading code.
 */
public final class StartupScenarios {
    /** A configuration made in a scratch directory, and what to undo afterwards (mounts, open engines). */
    public record Prepared(OverlayConfig config, List<String> mentions, List<AutoCloseable> cleanup) {
    }

    public interface Setup {
        Prepared prepare(Path scratch) throws Exception;
    }

    /**
     * @param kernelComparable the kernel checks the same thing at mount(2), so its errno can be compared
     */
    public record Case(String name, Errno errno, boolean root, boolean kernelComparable, Setup setup) {
        @Override
        public String toString() {
            return "10 start-up: " + name;
        }
    }

    private StartupScenarios() {
    }

    private static Path dir(Path scratch, String name) throws Exception {
        return Files.createDirectories(scratch.resolve(name));
    }

    private static Prepared config(List<Path> lowers, Path upper, Path work, String... mentions) {
        OverlayConfig.Builder b = OverlayConfig.builder().lowers(lowers);
        if (upper != null) {
            b.upper(upper);
        }
        if (work != null) {
            b.work(work);
        }
        return new Prepared(b.build(), List.of(mentions), new ArrayList<>());
    }

    public static List<Case> all() {
        return List.of(
            new Case("a missing lowerdir", Errno.ENOENT, false, true, s -> {
                Path missing = s.resolve("missing");
                return config(List.of(missing), dir(s, "u"), dir(s, "w"), missing.toString(), "does not exist");
            }),
            new Case("a lowerdir that is a file", Errno.EINVAL, false, true, s -> {
                Path f = Files.writeString(s.resolve("file"), "x");
                return config(List.of(f), dir(s, "u"), dir(s, "w"), f.toString(), "not a directory");
            }),
            new Case("a missing upperdir", Errno.ENOENT, false, true, s -> {
                Path missing = s.resolve("missing-upper");
                return config(List.of(dir(s, "l")), missing, dir(s, "w"), missing.toString(), "does not exist");
            }),
            new Case("upperdir and workdir on different filesystems", Errno.EINVAL, true, true, s -> {
                Path t = dir(s, "tmpfs");
                Native.mount("tmpfs", t.toString(), "tmpfs", 0, "size=1m");
                Prepared p = config(List.of(dir(s, "l")), dir(s, "u"), dir(t, "w"), "different filesystems");
                p.cleanup().add(() -> Native.umount(t.toString(), 2));
                return p;
            }),
            new Case("upperdir inside workdir", Errno.EINVAL, false, true, s -> {
                Path w = dir(s, "w");
                return config(List.of(dir(s, "l")), dir(w, "u"), w, "overlap", w.toString());
            }),
            new Case("workdir inside upperdir", Errno.EINVAL, false, true, s -> {
                Path u = dir(s, "u");
                return config(List.of(dir(s, "l")), u, dir(u, "w"), "overlap", u.toString());
            }),
            new Case("a lowerdir inside upperdir", Errno.ELOOP, false, true, s -> {
                Path u = dir(s, "u");
                return config(List.of(dir(u, "l")), u, dir(s, "w"), "overlap", u.toString());
            }),
            // the kernel mounts this; jovl refuses it by its own rule, since a copy-up would then appear in a lower
            new Case("upperdir inside a lowerdir", Errno.ELOOP, false, false, s -> {
                Path l = dir(s, "l");
                return config(List.of(l), dir(l, "u"), dir(s, "w"), "overlap", l.toString());
            }),
            new Case("no lowerdir at all", Errno.EINVAL, false, true,
                s -> config(List.of(), dir(s, "u"), dir(s, "w"), "lowerdir")),
            new Case("workdir without upperdir", Errno.EINVAL, false, false,
                s -> config(List.of(dir(s, "l")), null, dir(s, "w"), "upperdir")),
            // the kernel only warns about a workdir in use (it refuses only with index=on): engine-only
            new Case("a second engine on the same workdir", Errno.EBUSY, false, false, s -> {
                Prepared p = config(List.of(dir(s, "l")), dir(s, "u"), dir(s, "w"), "in use", s.resolve("w").toString());
                Overlay first = Overlay.open(p.config());
                p.cleanup().add(first);
                return p;
            }));
    }
}
