package io.github.jovl.mount;

import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FsException;
import io.github.jovl.sys.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes a mount away: umount2(2) as root, fusermount3 -u otherwise (only it may unmount a user's FUSE mount).
 * Lazy detaches at once even while files are open; the filesystem lives on until the last one is closed.
 */
public final class Unmounter {
    private static final int MNT_DETACH = 2;

    private Unmounter() {
    }

    public static boolean root() {
        return Native.geteuid() == 0;
    }

    public static void unmount(Path mountpoint, boolean lazy) throws FsException {
        if (root()) {
            Native.umount(mountpoint.toString(), lazy ? MNT_DETACH : 0);
            return;
        }
        fusermount(mountpoint, lazy);
    }

    /** Unmounts; if the mount is busy, detaches it instead and says so through the return value. */
    public static boolean unmountOrDetach(Path mountpoint) throws FsException {
        try {
            unmount(mountpoint, false);
            return false;
        } catch (FsException e) {
            if (e.errno() != Errno.EBUSY) {
                throw e;
            }
        }
        unmount(mountpoint, true);
        return true;
    }

    private static void fusermount(Path mountpoint, boolean lazy) throws FsException {
        String tool = onPath("fusermount3") ? "fusermount3" : "fusermount";
        List<String> cmd = new ArrayList<>(List.of(tool, "-u"));
        if (lazy) {
            cmd.add("-z");
        }
        cmd.add(mountpoint.toString());
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                Errno errno = out.contains("busy") ? Errno.EBUSY : Errno.EPERM;
                throw FsException.withMessage(errno, mountpoint.toString(), tool + " -u " + mountpoint + " failed: "
                        + out);
            }
        } catch (IOException e) {
            throw FsException.withMessage(Errno.ENOENT, mountpoint.toString(), "cannot run " + tool + " to unmount "
                    + mountpoint + " (" + e.getMessage() + "); install fuse3");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw FsException.withMessage(Errno.EINTR, mountpoint.toString(), "interrupted while unmounting "
                    + mountpoint);
        }
    }

    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/bin:/bin" : path).split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
