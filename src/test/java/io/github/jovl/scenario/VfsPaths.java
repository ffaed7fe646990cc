package io.github.jovl.scenario;

import io.github.jovl.fs.Errno;
import io.github.jovl.fs.FsException;
import io.github.jovl.fs.RelPath;
import io.github.jovl.fs.Stat;
import io.github.jovl.union.Overlay;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Path resolution as the VFS does it before a filesystem is called: every symlink in the middle of a path is
 * followed, the last one only for calls that follow (open, chmod, truncate...). FUSE hands the engine paths
 * resolved this way; a driver that calls the engine directly must do the same to be compared with a mount.
 * Relative targets only: an absolute target points outside the merged view, which a mount could not show either.
 */
final class VfsPaths {
    private static final int MAX_FOLLOWS = 40; // the kernel's MAXSYMLINKS

    private VfsPaths() {
    }

    static RelPath resolve(Overlay o, String path, boolean followLast) throws FsException {
        Deque<String> todo = new ArrayDeque<>(split(path));
        List<String> done = new ArrayList<>();
        int follows = 0;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.equals("..")) {
                if (done.isEmpty()) {
                    // above the view: on a mount that is the directory holding the mountpoint, where the tests
                    // keep no names of the view, so whatever is asked for there is not found
                    throw new FsException(Errno.ENOENT, path, "the path climbs out of the merged view");
                }
                done.remove(done.size() - 1);
                continue;
            }
            boolean last = todo.isEmpty();
            done.add(c);
            if (last && !followLast) {
                break;
            }
            Stat st;
            try {
                st = o.getattr(RelPath.of(String.join("/", done)));
            } catch (FsException e) {
                if (last) {
                    break; // a missing final name is the call's to report (or to create)
                }
                throw e; // a missing directory on the way fails the walk itself, before anything else
            }
            if (!st.isSymlink()) {
                if (!last && !st.isDir()) {
                    throw FsException.of(Errno.ENOTDIR, path);
                }
                continue;
            }
            if (++follows > MAX_FOLLOWS) {
                throw FsException.of(Errno.ELOOP, path);
            }
            String target = o.readlink(RelPath.of(String.join("/", done)));
            if (target.startsWith("/")) {
                throw new FsException(Errno.EXDEV, path, "absolute symlink target " + target + " leaves the view");
            }
            done.remove(done.size() - 1);
            List<String> t = split(target);
            for (int i = t.size() - 1; i >= 0; i--) {
                todo.addFirst(t.get(i));
            }
        }
        return RelPath.of(String.join("/", done) + rest(todo));
    }

    private static String rest(Deque<String> todo) {
        return todo.isEmpty() ? "" : "/" + String.join("/", todo);
    }

    private static List<String> split(String p) {
        return Arrays.stream(p.split("/")).filter(s -> !s.isEmpty() && !s.equals(".")).toList();
    }
}
