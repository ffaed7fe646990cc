package io.github.jovl.it;

import io.github.jovl.fuse.JovlCli;
import io.github.jovl.scenario.Mounter;
import java.nio.file.Path;
import java.util.List;

/**
 * jovl's own command line as a scenario mounter: {@code jovl mount -o ...} with the default backend (auto) and
 * {@code jovl umount}, run as whoever runs this JVM, each a real launcher and daemon. The unprivileged catalogue
 * run uses it as uid 65534: auto must fall back to FUSE saying exactly why, and the markers it writes are the
 * ones a userxattr kernel mount reads (0/0 char devices, user.overlay.*).
 *
 * @param notice what the mount must print on stderr, exactly (the fallback line); anything else is a failure
 */
public record CliMounter(String notice) implements Mounter {
    @Override
    public String name() {
        return "jovl mount (uid " + io.github.jovl.sys.Native.geteuid() + ")";
    }

    @Override
    public void mount(List<Path> lowersTopFirst, Path upper, Path work, Path mountpoint) throws Exception {
        JovlCli.Result r = JovlCli.run("mount", "-o", LayerOptions.of(lowersTopFirst, upper, work),
                mountpoint.toString());
        if (r.code() != 0 || !r.err().equals(notice)) {
            if (JovlCli.mounted(mountpoint)) {
                unmount(mountpoint);
            }
            throw new IllegalStateException("jovl mount did not do what was expected (stderr should be \""
                    + notice.strip() + "\"): " + r);
        }
    }

    @Override
    public void unmount(Path mountpoint) throws Exception {
        JovlCli.Result r = JovlCli.run("umount", mountpoint.toString());
        if (r.code() != 0) {
            throw new IllegalStateException("jovl umount " + mountpoint + ": " + r);
        }
    }

    @Override
    public String opaquePrefix() {
        return "user.overlay.";
    }
}
