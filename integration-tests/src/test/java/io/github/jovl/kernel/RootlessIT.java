package io.github.jovl.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jovl.fuse.JovlCli;
import io.github.jovl.it.Mounts;
import io.github.jovl.it.Prereq;
import io.github.jovl.sys.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * jovl as an unprivileged user (uid 65534 through setpriv, on layers it owns): auto falls back to FUSE saying
 * why, the mount goes through the setuid fusermount3, and the markers written are the ones an unprivileged kernel
 * mount with userxattr reads (0/0 char-device whiteouts, user.overlay.opaque): a userxattr kernel mount of the
 * same layers shows the same tree.
 */
class RootlessIT {
    private static final String UID = "65534";
    private Path base;
    private Path mnt;
    private String options;

    @BeforeEach
    void layersOwnedByTheUser() throws Exception {
        Prereq.requireUnprivilegedFuse();
        Prereq.requireKernelOverlay();
        JovlCli.require();
        // @TempDir is root's and 0700: the user could not reach its layers there
        base = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "jovl-rootless-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path lower = Files.createDirectories(base.resolve("lower/d"));
        Files.writeString(base.resolve("lower/f"), "lower f\n");
        Files.writeString(base.resolve("lower/gone"), "to delete\n");
        Files.writeString(lower.resolve("x"), "x\n");
        for (String d : List.of("upper", "work", "mnt")) {
            Files.createDirectories(base.resolve(d));
        }
        sh("chown -R " + UID + ":" + UID + " " + base);
        mnt = base.resolve("mnt");
        options = "lowerdir=" + base.resolve("lower") + ",upperdir=" + base.resolve("upper") + ",workdir="
                + base.resolve("work");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (base == null) {
            return;
        }
        List<String> left = Mounts.detachAllUnder(base);
        try (var walk = Files.walk(base)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        assertEquals(List.of(), left, "mounts left behind (now detached)");
    }

    @Test
    void anUnprivilegedMountWritesWhatAUserxattrKernelMountReads() throws Exception {
        String launcher = JovlCli.launcher().toString();
        Run m = asUser(launcher + " mount -o " + options + " " + mnt);
        assertEquals(0, m.code, m.toString());
        assertEquals("jovl: kernel overlay not used: mounting needs CAP_SYS_ADMIN; using FUSE\n", m.err);
        Run change = asUser("set -e; cd " + mnt + "; printf 'more\\n' >> f; rm gone; rm -r d; mkdir d;"
                + " printf 'new\\n' > d/n");
        assertEquals(0, change.code, change.toString());
        String userView = asUser(view(mnt)).out;
        assertEquals(0, asUser(launcher + " umount " + mnt).code);
        assertTrue(Mounts.under(mnt).isEmpty(), "unmounted by the user");

        Path upper = base.resolve("upper");
        var wh = Native.lstat(upper.resolve("gone").toString());
        assertTrue(io.github.jovl.whiteout.Markers.isChardevWhiteout(wh), "a 0/0 char device whiteout");
        assertEquals("y", new String(Native.getxattrOrNull(upper.resolve("d").toString(), "user.overlay.opaque"),
                StandardCharsets.UTF_8));
        assertNull(Native.getxattrOrNull(upper.resolve("d").toString(), "trusted.overlay.opaque"));

        KernelOverlay.mount(new KernelOptions(List.of(base.resolve("lower")), upper, base.resolve("work"),
                List.of("userxattr")), mnt);
        try {
            assertEquals(userView, sh(view(mnt)).out, "a userxattr kernel mount reads the same tree");
        } finally {
            KernelOverlay.unmount(mnt, false);
        }
        assertTrue(userView.contains("./d/n f 4 ") && userView.contains("./f f 13 ") && !userView.contains("gone")
                && !userView.contains("./d/x"), userView);
    }

    @Test
    void allowOtherForAUsersMountFollowsFuseConf() throws Exception {
        String launcher = JovlCli.launcher().toString();
        boolean allowed = Files.exists(Path.of("/etc/fuse.conf")) && Files.readAllLines(Path.of("/etc/fuse.conf"))
                .stream().map(String::trim).anyMatch("user_allow_other"::equals);
        Run m = asUser(launcher + " mount -o " + options + ",allow_other " + mnt);
        if (allowed) {
            assertEquals(0, m.code, m.toString());
            assertEquals(0, asUser(launcher + " umount " + mnt).code);
        } else {
            assertEquals(1, m.code, m.toString());
            assertTrue(m.err.endsWith("jovl: allow_other needs 'user_allow_other' in /etc/fuse.conf for a user's"
                    + " mount: add that line as root, or mount without allow_other\n"), m.err);
            assertTrue(Mounts.under(mnt).isEmpty(), "a refused mount leaves nothing");
        }
    }

    /** Names, types, sizes and content hashes of a tree, sorted: what both mounts must agree on. */
    private static String view(Path dir) {
        return "cd " + dir + " && find . -mindepth 1 -printf '%p %y %s ' -exec sh -c"
                + " 'test -f \"$1\" && md5sum < \"$1\" | cut -c1-32 || echo -' _ {} \\; | sort";
    }

    private record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    private static Run asUser(String script) throws Exception {
        return exec(List.of("setpriv", "--reuid=" + UID, "--regid=" + UID, "--clear-groups", "sh", "-c", script));
    }

    private static Run sh(String script) throws Exception {
        return exec(List.of("sh", "-c", script));
    }

    private static Run exec(List<String> cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile("jovl-rl", ".out");
        Path err = Files.createTempFile("jovl-rl", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().put("HOME", "/tmp");
            Process p = pb.start();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(cmd + " did not finish in 90 s");
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
