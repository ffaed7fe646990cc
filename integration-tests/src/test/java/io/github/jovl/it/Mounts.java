package io.github.jovl.it;

import io.github.jovl.sys.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What is mounted at or below a directory, from /proc/self/mountinfo: for "no mount left behind" checks. */
public final class Mounts {
    private static final int MNT_DETACH = 2;

    private Mounts() {
    }

    /** Mountpoints at or below dir, deepest last as mountinfo lists them. */
    public static List<String> under(Path dir) throws IOException {
        String root = dir.toAbsolutePath().toString();
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            String mp = f[4].replace("\\040", " ");
            if (mp.equals(root) || mp.startsWith(root + "/")) {
                out.add(mp);
            }
        }
        return out;
    }

    /**
     * Detaches every mount still under dir and returns what it found, so a test can fail loudly about a leak
     * and still leave the host clean.
     */
    public static List<String> detachAllUnder(Path dir) throws IOException {
        List<String> left = under(dir);
        for (int i = left.size() - 1; i >= 0; i--) {
            try {
                Native.umount(left.get(i), MNT_DETACH);
            } catch (Exception e) {
                // already gone with its parent: nothing to do
            }
        }
        return left;
    }
}
