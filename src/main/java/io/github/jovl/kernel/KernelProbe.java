package io.github.jovl.kernel;

import io.github.jovl.fs.FileType;
import io.github.jovl.fs.FsException;
import io.github.jovl.sys.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Finds out by trying, not from version numbers, whether kernel overlayfs can do a job: the filesystem is
 * listed, this process has CAP_SYS_ADMIN, and a trial mount of tiny directories on the upper's filesystem
 * succeeds. Answers are cached for the life of the process, per filesystem.
 */
public final class KernelProbe {
    /** Set to "fail" to make every probe answer no: how tests exercise the FUSE fallback. */
    public static final String FAIL_ENV = "JOVL_KERNEL_PROBE";
    private static final int CAP_SYS_ADMIN = 21;
    private static final Map<String, KernelSupport> CACHE = new ConcurrentHashMap<>();
    private static final Map<String, String> FEATURES = Map.of(
            "redirect_dir", "redirect_dir=on", "index", "index=on", "metacopy", "metacopy=on");

    private KernelProbe() {
    }

    /**
     * Probes in a scratch directory made inside scratchParent, which must be on the filesystem the upper will be
     * on (the workdir serves), or anywhere for a read-only overlay.
     */
    public static KernelSupport probe(Path scratchParent, boolean userxattr) {
        String key;
        try {
            key = Native.lstat(scratchParent.toAbsolutePath().toString()).dev() + "/" + userxattr;
        } catch (FsException e) {
            return KernelSupport.no("cannot probe in " + scratchParent + ": " + e.getMessage());
        }
        return CACHE.computeIfAbsent(key, k -> probeNow(scratchParent, userxattr));
    }

    private static KernelSupport probeNow(Path scratchParent, boolean userxattr) {
        if ("fail".equals(System.getenv(FAIL_ENV))) {
            return KernelSupport.no("the kernel probe is switched off by " + FAIL_ENV + "=fail");
        }
        if (!listsOverlay()) {
            return KernelSupport.no("the kernel has no overlay filesystem (not in /proc/filesystems; try"
                    + " modprobe overlay)");
        }
        if (!hasCapability(CAP_SYS_ADMIN)) {
            return KernelSupport.no("mounting needs CAP_SYS_ADMIN");
        }
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory(scratchParent, ".jovl-probe-");
            Scratch s = new Scratch(scratch);
            boolean needUserxattr = userxattr;
            String failure = s.tryMount(needUserxattr ? List.of("userxattr") : List.of());
            if (failure != null && !userxattr && s.tryMount(List.of("userxattr")) == null) {
                needUserxattr = true; // trusted.* refused here: unprivileged kernel mounts use user.* markers
                failure = null;
            }
            if (failure != null) {
                return KernelSupport.no("a trial kernel overlay mount on " + scratchParent + " failed ("
                        + failure + ")");
            }
            Set<String> features = new LinkedHashSet<>();
            List<String> base = needUserxattr ? List.of("userxattr") : List.of();
            for (Map.Entry<String, String> f : FEATURES.entrySet()) {
                if (s.tryMount(Stream.concat(base.stream(), Stream.of(f.getValue())).toList()) == null) {
                    features.add(f.getKey());
                }
            }
            if (s.tryDataOnlyMount(base) == null) {
                features.add("data-only layers");
            }
            return new KernelSupport(true, null, needUserxattr, s.canMakeWhiteout(), Set.copyOf(features));
        } catch (IOException e) {
            return KernelSupport.no("cannot make a probe directory in " + scratchParent + ": " + e.getMessage());
        } finally {
            if (scratch != null) {
                removeTree(scratch);
            }
        }
    }

    /** Tiny lower, upper, work and mountpoint dirs to try mounts on. */
    private record Scratch(Path dir) {
        String tryMount(List<String> options) throws IOException {
            Path l = Files.createDirectories(dir.resolve("l"));
            return tryMount(new KernelOptions(List.of(l), Files.createDirectories(dir.resolve("u")),
                    Files.createDirectories(dir.resolve("w")), options));
        }

        /** lowerdir=l::d is the syntax of data-only lowers (Linux 6.5 and later). */
        String tryDataOnlyMount(List<String> base) throws IOException {
            Path l = Files.createDirectories(dir.resolve("l"));
            Path d = Files.createDirectories(dir.resolve("d"));
            Path m = Files.createDirectories(dir.resolve("m"));
            String data = "lowerdir=" + KernelOptions.escape(l.toString()) + "::" + KernelOptions.escape(d.toString())
                    + (base.isEmpty() ? "" : "," + String.join(",", base));
            try {
                Native.mount(KernelOverlay.SOURCE, m.toString(), "overlay", 0, data);
                Native.umount(m.toString(), 0);
                return null;
            } catch (FsException e) {
                return e.errno().name();
            }
        }

        private String tryMount(KernelOptions o) throws IOException {
            Path m = Files.createDirectories(dir.resolve("m"));
            try {
                KernelOverlay.mount(o, m);
                KernelOverlay.unmount(m, false);
                return null;
            } catch (FsException e) {
                return e.errno().name();
            } finally {
                // each trial starts from empty upper and work dirs, as a real first mount would
                removeTree(dir.resolve("u"));
                removeTree(dir.resolve("w"));
            }
        }

        boolean canMakeWhiteout() {
            try {
                Native.mknod(dir.resolve("wh").toString(), FileType.CHAR.bits, 0);
                return true;
            } catch (FsException e) {
                return false;
            }
        }
    }

    static boolean listsOverlay() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/filesystems"))) {
            // lines are "nodev\toverlay" or "\text4": the name is the last field
            return lines.map(String::trim).map(l -> l.substring(l.lastIndexOf('\t') + 1)).anyMatch("overlay"::equals);
        } catch (IOException e) {
            return false;
        }
    }

    static boolean hasCapability(int cap) {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            return lines.filter(l -> l.startsWith("CapEff:")).findFirst()
                    .map(l -> (Long.parseUnsignedLong(l.substring(7).trim(), 16) >>> cap & 1) == 1).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    static void removeTree(Path p) {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        } catch (IOException e) {
            // a probe leftover is harmless; the next probe uses a fresh name
        }
    }
}
