package io.github.jovl.mount;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the daemon serving a FUSE mount, so `jovl umount` can wait for it to finish (its workdir lock is
 * released only when it exits, and a mount right after would otherwise find the workdir busy). The kernel
 * does not record which process serves a mount; the daemon is the process that holds /dev/fuse open and has
 * the mountpoint among its arguments. Only ever used to wait, never to kill.
 */
public final class FuseDaemons {
    private FuseDaemons() {
    }

    public static List<ProcessHandle> serving(Path mountpoint) {
        List<ProcessHandle> out = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> isPid(p))) {
            for (Path proc : procs) {
                if (namesMountpoint(proc, mountpoint) && holdsDevFuse(proc)) {
                    ProcessHandle.of(Long.parseLong(proc.getFileName().toString())).ifPresent(out::add);
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** Waits until every one has exited; false if one is still alive at the deadline. */
    public static boolean awaitExit(List<ProcessHandle> daemons, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        for (ProcessHandle p : daemons) {
            while (!exited(p)) {
                if (System.nanoTime() > end) {
                    return false;
                }
                Thread.sleep(10);
            }
        }
        return true;
    }

    /**
     * Gone, or a zombie: it has exited and released everything (mount, workdir lock); only its exit status
     * waits for a parent to collect it. A daemon's parent is init, which in a container may be slow to reap.
     */
    public static boolean exited(ProcessHandle p) {
        if (!p.isAlive()) {
            return true;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            // "pid (comm) S ...": comm may hold spaces and parentheses, the state follows the last ')'
            int close = stat.lastIndexOf(')');
            return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) == 'Z';
        } catch (IOException e) {
            return true;
        }
    }

    private static boolean isPid(Path p) {
        String n = p.getFileName().toString();
        return !n.isEmpty() && n.chars().allMatch(Character::isDigit);
    }

    private static boolean namesMountpoint(Path proc, Path mountpoint) {
        try {
            String[] args = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
                    .split("\0");
            Optional<Path> cwd = Optional.empty();
            for (int i = 1; i < args.length; i++) {
                if (args[i].isEmpty()) {
                    continue;
                }
                Path a = Path.of(args[i]);
                if (!a.isAbsolute()) {
                    if (cwd.isEmpty()) {
                        cwd = Optional.of(Files.readSymbolicLink(proc.resolve("cwd")));
                    }
                    a = cwd.get().resolve(a);
                }
                if (a.normalize().equals(mountpoint)) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            return false; // gone, or not ours to read
        }
        return false;
    }

    private static boolean holdsDevFuse(Path proc) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals("/dev/fuse")) {
                        return true;
                    }
                } catch (IOException e) {
                    // closed while we looked
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
