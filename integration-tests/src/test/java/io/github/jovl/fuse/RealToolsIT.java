package io.github.jovl.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jovl.it.KernelMounter;
import io.github.jovl.it.Prereq;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everyday tools on a jovl mount give what they give on a kernel overlay of the same layers: tar -x of a few
 * thousand files (some over lower files), cp -a, rm -rf of a lower tree, sed -i on a lower file, git init/add/
 * commit, find | wc -l, mv of a lower file over another. Each step's exit status and output must match, and so
 * must the merged trees at the end (names, types, modes, owners, sizes, content hashes).
 */
class RealToolsIT {
    /** Each step runs with the mount as its working directory; TAR is the archive to extract. */
    private static final Map<String, String> STEPS = new LinkedHashMap<>();

    static {
        STEPS.put("tar -x", "tar -xf \"$TAR\"");
        STEPS.put("cp -a", "cp -a tree tree-copy");
        STEPS.put("rm -rf", "rm -rf tree src/d7");
        STEPS.put("sed -i", "sed -i 's/colour=red/colour=blue/' etc/app.conf && cat etc/app.conf");
        STEPS.put("git", "cd proj && git init -q && git add -A && git commit -q -m init && git log --format=%H%n%s"
                + " && git status --porcelain");
        STEPS.put("mv over", "mv a.txt b.txt && cat b.txt && ! test -e a.txt");
        STEPS.put("find | wc -l", "find . -type f | wc -l && find . | wc -l");
    }

    /** git's index records inode numbers and ctimes, which differ between any two filesystems. */
    private static final Set<String> CONTENT_IGNORED = Set.of("proj/.git/index");

    @TempDir
    Path tmp;

    record Step(int code, String out) {
    }

    @Test
    void toolsAgreeWithKernelOverlay() throws Exception {
        JovlCli.require();
        Prereq.requireKernelOverlay();
        Path lower = Files.createDirectories(tmp.resolve("lower"));
        makeLower(lower);
        Path tar = makeTar(tmp.resolve("tar-src"), tmp.resolve("x.tar"));

        Map<String, Step> kernel;
        TreeSnapshot kernelTree;
        Path kmnt = dirs("k");
        KernelMounter k = new KernelMounter();
        k.mount(List.of(lower), tmp.resolve("k/upper"), tmp.resolve("k/work"), kmnt);
        try {
            kernel = runSteps(kmnt, tar);
            kernelTree = TreeSnapshot.of(kmnt, CONTENT_IGNORED);
        } finally {
            k.unmount(kmnt);
        }

        Map<String, Step> jovl;
        TreeSnapshot jovlTree;
        Path jmnt = dirs("j");
        ProcessHandle daemon = null;
        try {
            daemon = JovlCli.mount("lowerdir=" + lower + ",upperdir=" + tmp.resolve("j/upper") + ",workdir="
                    + tmp.resolve("j/work"), jmnt);
            jovl = runSteps(jmnt, tar);
            jovlTree = TreeSnapshot.of(jmnt, CONTENT_IGNORED);
        } finally {
            JovlCli.cleanUp(jmnt, daemon);
        }

        for (String step : STEPS.keySet()) {
            System.out.println(step + ": kernel " + kernel.get(step) + ", jovl " + jovl.get(step));
            assertEquals(kernel.get(step), jovl.get(step), step + ": exit status and output as on the kernel");
        }
        kernel.forEach((step, r) -> assertEquals(0, r.code(), "on the kernel overlay, " + step + ": " + r.out()));
        assertTrue(kernelTree.size() > 3000, "the workload is as big as it claims: " + kernelTree.size());
        List<String> diff = kernelTree.diff(jovlTree);
        assertEquals(List.of(), diff.subList(0, Math.min(diff.size(), 30)), diff.size() + " differences");
    }

    private Path dirs(String name) throws IOException {
        Files.createDirectories(tmp.resolve(name + "/upper"));
        Files.createDirectories(tmp.resolve(name + "/work"));
        return Files.createDirectories(tmp.resolve(name + "/mnt"));
    }

    private static Map<String, Step> runSteps(Path mnt, Path tar) throws Exception {
        Map<String, Step> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> s : STEPS.entrySet()) {
            out.put(s.getKey(), sh(mnt, tar, s.getValue()));
        }
        return out;
    }

    private static Step sh(Path cwd, Path tar, String script) throws Exception {
        Path log = Files.createTempFile("jovl-tool", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).directory(cwd.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.put("TAR", tar.toString());
            env.put("LC_ALL", "C");
            env.put("TZ", "UTC");
            // fixed identity and dates: the same commit hash on both filesystems
            env.put("GIT_AUTHOR_NAME", "t");
            env.put("GIT_AUTHOR_EMAIL", "t@example.org");
            env.put("GIT_COMMITTER_NAME", "t");
            env.put("GIT_COMMITTER_EMAIL", "t@example.org");
            env.put("GIT_AUTHOR_DATE", "2020-01-01T00:00:00Z");
            env.put("GIT_COMMITTER_DATE", "2020-01-01T00:00:00Z");
            env.put("GIT_CONFIG_NOSYSTEM", "1");
            env.put("HOME", cwd.toString() + "/.."); // no user's ~/.gitconfig
            Process p = pb.start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("timed out: " + script);
            }
            return new Step(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** ~1,100 files: src/ (40 dirs), a tree to copy and delete, a config, two files to mv, a small project. */
    private static void makeLower(Path l) throws IOException {
        for (int d = 0; d < 40; d++) {
            Path dir = Files.createDirectories(l.resolve("src/d" + d));
            for (int f = 0; f < 25; f++) {
                Files.writeString(dir.resolve("f" + f + ".c"), ("/* lower " + d + "/" + f + " */\n").repeat(f + 1));
            }
        }
        for (int d = 0; d < 10; d++) {
            Path dir = Files.createDirectories(l.resolve("tree/a" + d + "/b"));
            for (int f = 0; f < 10; f++) {
                Files.writeString(dir.resolve("t" + f), "tree " + d + " " + f + "\n");
            }
            Files.createSymbolicLink(dir.resolve("link"), Path.of("t0"));
            Files.setPosixFilePermissions(dir.resolve("t1"), java.nio.file.attribute.PosixFilePermissions
                    .fromString("rwx------"));
        }
        Files.createDirectories(l.resolve("etc"));
        Files.writeString(l.resolve("etc/app.conf"), "name=app\ncolour=red\nsize=3\n");
        Files.writeString(l.resolve("a.txt"), "I am a\n");
        Files.writeString(l.resolve("b.txt"), "I am b, soon gone\n");
        Path proj = Files.createDirectories(l.resolve("proj/lib"));
        Files.writeString(proj.resolve("main.c"), "int main(void) { return 0; }\n");
        Files.writeString(l.resolve("proj/README"), "a project\n");
    }

    /** 3,000 new files in gen/, plus new content for 125 files that the lower has in src/d0..d4. */
    private static Path makeTar(Path src, Path tar) throws Exception {
        for (int d = 0; d < 60; d++) {
            Path dir = Files.createDirectories(src.resolve("gen/g" + d));
            for (int f = 0; f < 50; f++) {
                Files.writeString(dir.resolve("file" + f + ".txt"), "generated " + d + "/" + f + "\n");
            }
        }
        for (int d = 0; d < 5; d++) {
            Path dir = Files.createDirectories(src.resolve("src/d" + d));
            for (int f = 0; f < 25; f++) {
                Files.writeString(dir.resolve("f" + f + ".c"), "/* from the tar " + d + "/" + f + " */\n");
            }
        }
        List<String> cmd = new ArrayList<>(List.of("tar", "-cf", tar.toString(), "-C", src.toString(), "gen", "src"));
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        assertEquals(0, p.waitFor(), "making the tar");
        return tar;
    }
}
