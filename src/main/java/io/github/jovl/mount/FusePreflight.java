package io.github.jovl.mount;

import io.github.jovl.config.MountOptions;
import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What an unprivileged FUSE mount needs, checked before libfuse tries, so each missing piece is one sentence
 * that says what to do (libfuse's own message names the symptom, not the fix).
 */
final class FusePreflight {
    private static final Path DEV_FUSE = Path.of("/dev/fuse");

    private FusePreflight() {
    }

    static void check(MountOptions o, boolean root, int uid) throws FsException {
        if (!Files.exists(DEV_FUSE)) {
            throw fail("/dev/fuse does not exist: load the module (modprobe fuse) or install fuse3");
        }
        if (root) {
            return;
        }
        if (!Files.isReadable(DEV_FUSE) || !Files.isWritable(DEV_FUSE)) {
            throw fail("/dev/fuse cannot be opened by uid " + uid + "; hosts normally make it mode 0666 (udev):"
                    + " as root, chmod 0666 /dev/fuse (or mount as root)");
        }
        if (!Programs.onPath("fusermount3") && !Programs.onPath("fusermount")) {
            throw fail("fusermount3 is not installed, and an unprivileged FUSE mount needs it: apt-get install"
                    + " fuse3");
        }
        if (o.hasFuseOption("allow_other") && !userAllowOther()) {
            throw fail("allow_other needs 'user_allow_other' in /etc/fuse.conf for a user's mount: add that"
                    + " line as root, or mount without allow_other");
        }
    }

    private static boolean userAllowOther() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/etc/fuse.conf"));
            return lines.stream().map(String::trim).anyMatch("user_allow_other"::equals);
        } catch (IOException e) {
            return false;
        }
    }

    private static FsException fail(String message) {
        return FsException.withMessage(Errno.EPERM, null, message);
    }
}
