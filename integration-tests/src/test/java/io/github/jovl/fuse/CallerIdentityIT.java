package io.github.jovl.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jovl.it.KernelMounter;
import io.github.jovl.it.Prereq;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A root daemon creates objects as their caller, like the kernel overlay: a user's file, directory, symlink and
 * fifo in a shared directory belong to that user in the merged view and in the upper; the user is refused where
 * the modes say so (default_permissions), and allowed in at all (allow_other).
 */
class CallerIdentityIT {
    private static final String USER = "65534";
    private static final String SCRIPT = "cd shared && umask 022 && echo mine > file && mkdir dir && ln -s file sym"
            + " && mkfifo fifo && ! (echo no > ../rootonly/x) 2>/dev/null && cat ../readme";

    @TempDir
    Path tmp;

    @Test
    void newObjectsBelongToTheCallerAsOnTheKernel() throws Exception {
        JovlCli.require();
        Prereq.requireKernelOverlay();
        Prereq.require(Prereq.onPath("setpriv"), "setpriv (util-linux)");
        Path lower = Files.createDirectories(tmp.resolve("lower"));
        Files.setPosixFilePermissions(Files.createDirectories(lower.resolve("shared")),
                PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(Files.createDirectories(lower.resolve("rootonly")),
                PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(lower.resolve("readme"), "readable by all\n");
        // the test's own temporary directory is private to root; the user must be able to reach the mounts
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));

        Path kmnt = dirs("k");
        KernelMounter k = new KernelMounter();
        k.mount(List.of(lower), tmp.resolve("k/upper"), tmp.resolve("k/work"), kmnt);
        TreeSnapshot kernel;
        String kernelOut;
        try {
            kernelOut = asUser(kmnt);
            kernel = TreeSnapshot.of(kmnt, Set.of());
        } finally {
            k.unmount(kmnt);
        }

        Path jmnt = dirs("j");
        ProcessHandle daemon = null;
        TreeSnapshot jovl;
        String jovlOut;
        try {
            daemon = JovlCli.mount("lowerdir=" + lower + ",upperdir=" + tmp.resolve("j/upper") + ",workdir="
                    + tmp.resolve("j/work"), jmnt);
            jovlOut = asUser(jmnt);
            jovl = TreeSnapshot.of(jmnt, Set.of());
        } finally {
            JovlCli.cleanUp(jmnt, daemon);
        }
        assertEquals("0 readable by all\n", kernelOut, "the oracle ran the whole script");
        assertEquals(kernelOut, jovlOut);
        assertEquals(List.of(), kernel.diff(jovl));
        assertEquals(USER + ":" + USER, owner(tmp.resolve("j/upper/shared/file")), "the upper holds the owner");
        assertEquals(USER + ":" + USER, owner(tmp.resolve("j/upper/shared/sym")));
    }

    private static String owner(Path p) throws Exception {
        return Files.getAttribute(p, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS) + ":"
                + Files.getAttribute(p, "unix:gid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    private Path dirs(String name) throws Exception {
        Files.createDirectories(tmp.resolve(name + "/upper"));
        Files.createDirectories(tmp.resolve(name + "/work"));
        return Files.createDirectories(tmp.resolve(name + "/mnt"));
    }

    private static String asUser(Path mnt) throws Exception {
        Path log = Files.createTempFile("jovl-caller", ".log");
        try {
            Process p = new ProcessBuilder("setpriv", "--reuid=" + USER, "--regid=" + USER, "--clear-groups",
                    "sh", "-c", SCRIPT).directory(mnt.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            int code = p.waitFor();
            return code + " " + Files.readString(log);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
