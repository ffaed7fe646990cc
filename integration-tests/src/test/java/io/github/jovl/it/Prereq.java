package io.github.jovl.it;

import io.github.jovl.sys.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * THE rule for tests that need something of the host (root, kernel overlayfs, FUSE): on a developer's machine a
 * missing prerequisite skips the test (a JUnit assumption); under {@code CI=true} it FAILS, so a CI host that
 * lost a capability cannot turn the suite green by skipping it. Every IT asks here, never on its own.
 */
public final class Prereq {
    private Prereq() {
    }

    public static boolean ci() {
        return "true".equals(System.getenv("CI"));
    }

    public static boolean isRoot() {
        return Native.geteuid() == 0;
    }

    /** Skips (or, under CI=true, fails) unless ok; what names the missing prerequisite. */
    public static void require(boolean ok, String what) {
        if (ok) {
            return;
        }
        if (ci()) {
            Assertions.fail("missing prerequisite under CI=true: " + what);
        }
        Assumptions.abort("skipped, needs " + what + " (under CI=true this fails instead)");
    }

    public static void requireRoot() {
        require(isRoot(), "root (euid 0)");
    }

    /** Root, and overlay listed in /proc/filesystems (it may be a module that mounting loads; we do not load). */
    public static void requireKernelOverlay() {
        requireRoot();
        require(listsFilesystem("overlay"), "kernel overlayfs (\"overlay\" in /proc/filesystems)");
    }

    /** /dev/fuse and fusermount3 or fusermount on the PATH. */
    public static void requireFuse() {
        require(Files.exists(Path.of("/dev/fuse")), "/dev/fuse");
        require(onPath("fusermount3") || onPath("fusermount"), "fusermount3 (package fuse3)");
    }

    /**
     * What a FUSE mount by an unprivileged user (uid 65534 through setpriv) needs: FUSE, setpriv, and /dev/fuse
     * open to everyone (0666, as udev sets it; a bare container may leave it 0600).
     */
    public static void requireUnprivilegedFuse() {
        requireRoot();
        requireFuse();
        require(onPath("setpriv"), "setpriv (package util-linux)");
        boolean open;
        try {
            open = Files.getPosixFilePermissions(Path.of("/dev/fuse")).containsAll(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        } catch (IOException e) {
            open = false;
        }
        require(open, "/dev/fuse mode 0666, as udev sets it");
    }

    public static boolean listsFilesystem(String fs) {
        try {
            return Files.readAllLines(Path.of("/proc/filesystems")).stream()
                    .map(l -> l.trim().split("\\s+")).anyMatch(w -> w[w.length - 1].equals(fs));
        } catch (IOException e) {
            return false;
        }
    }

    public static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
