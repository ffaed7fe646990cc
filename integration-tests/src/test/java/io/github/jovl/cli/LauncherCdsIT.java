package io.github.jovl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.jovl.fuse.JovlCli;
import io.github.jovl.mount.FuseDaemons;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's class-data-sharing archive (jovl.jsa beside the jar, made by `mvn package`): both JVMs of a
 * `jovl mount` start from it, and a launcher whose archive is missing, or was made for a jar somewhere else,
 * starts as if there were none (with the JDK's own archive) and says nothing. No timings: where each class
 * came from is what -Xlog:class+load tells.
 */
class LauncherCdsIT {
    private static final Duration RUN = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    private static Path archiveOf(Path launcher) {
        return launcher.resolveSibling("jovl.jsa");
    }

    @Test
    void theBuildMadeAnArchiveAndTheLauncherStartsFromIt() throws Exception {
        Path launcher = JovlCli.launcher();
        assertTrue(Files.isRegularFile(archiveOf(launcher)), "mvn package makes " + archiveOf(launcher)
                + " (the launcher's JOVL_CDS=make, run by the antrun step in pom.xml)");
        Path log = tmp.resolve("classes.log");
        JovlCli.Result r = version(launcher, log);
        assertEquals("", r.err());
        assertShared(log, "io.github.jovl.cli.Main", true);
        // picocli's classes are Java 5 class files, which only a static archive (not -XX:ArchiveClassesAtExit) holds
        assertShared(log, "picocli.CommandLine", true);
    }

    @Test
    void bothJvmsOfAMountStartFromTheArchive() throws Exception {
        JovlCli.require();
        Path lower = Files.createDirectories(tmp.resolve("lower"));
        Files.writeString(lower.resolve("hello"), "from the lower\n");
        Path mnt = Files.createDirectories(tmp.resolve("mnt"));
        String options = "lowerdir=" + lower + ",upperdir=" + Files.createDirectories(tmp.resolve("upper"))
                + ",workdir=" + Files.createDirectories(tmp.resolve("work"));
        Path logs = Files.createDirectories(tmp.resolve("logs"));
        ProcessHandle daemon = null;
        try {
            JovlCli.Result r = JovlCli.run(Map.of("JOVL_JAVA_OPTS", "-Xlog:class+load:file=" + logs
                    + "/classes-%p.log"), RUN, "mount", "--backend=fuse", "-o", options, mnt.toString());
            List<ProcessHandle> serving = FuseDaemons.serving(mnt.toRealPath());
            daemon = serving.isEmpty() ? null : serving.get(0);
            assertEquals(0, r.code(), r.toString());
            assertEquals("from the lower\n", Files.readString(mnt.resolve("hello")));

            Path front = logLoading(logs, "io.github.jovl.cli.BackgroundMount");
            assertShared(front, "io.github.jovl.cli.MountCommand", true);
            assertShared(front, "io.github.jovl.cli.BackgroundMount", true);
            // the daemon gets the archive from the command's own JVM options, not from the launcher
            Path served = logLoading(logs, "io.github.jovl.mount.FuseMount");
            assertShared(served, "io.github.jovl.mount.FuseMount", true);
            assertShared(served, "io.github.jovl.union.Overlay", true);
            assertShared(served, "ru.serce.jnrfuse.AbstractFuseFS", true);
        } finally {
            JovlCli.cleanUp(mnt, daemon);
        }
    }

    @Test
    void withoutAnArchiveTheLauncherStartsAsBeforeAndSaysNothing() throws Exception {
        Path bare = copyOfLauncher("bare", false);
        Path log = tmp.resolve("classes.log");
        JovlCli.Result r = version(bare, log);
        assertEquals(version(JovlCli.launcher(), tmp.resolve("in-place.log")).out(), r.out());
        assertEquals("", r.err());
        assertShared(log, "java.lang.Object", true); // the JDK's own archive, as with no -XX:SharedArchiveFile
        assertShared(log, "io.github.jovl.cli.Main", false);
    }

    /**
     * Given an archive made for another jar path, the JVM would start with no class sharing at all (slower than
     * with no archive); the launcher must see that first and leave the archive out. JOVL_CDS=make then makes one
     * for the new place, as README says to do after moving jovl.
     */
    @Test
    void anArchiveMadeForAnotherPlaceIsLeftOutUntilMadeAgain() throws Exception {
        Path moved = copyOfLauncher("moved", true);
        Path log = tmp.resolve("classes.log");
        JovlCli.Result r = version(moved, log);
        assertEquals("", r.err());
        assertShared(log, "java.lang.Object", true);
        assertShared(log, "io.github.jovl.cli.Main", false);

        JovlCli.Result made = run(moved, Map.of("JOVL_CDS", "make"));
        assertEquals(0, made.code(), made.toString());
        assertTrue(made.out().contains("made " + archiveOf(moved)), made.toString());
        Path after = tmp.resolve("after.log");
        assertEquals("", version(moved, after).err());
        assertShared(after, "io.github.jovl.cli.Main", true);
    }

    /** target/jovl and jovl.jar (and the archive with its id, if withArchive) copied into a new directory. */
    private Path copyOfLauncher(String name, boolean withArchive) throws IOException {
        Path from = JovlCli.launcher();
        Path dir = Files.createDirectories(tmp.resolve(name));
        List<String> files = withArchive ? List.of("jovl", "jovl.jar", "jovl.jsa", "jovl.jsa.id")
                : List.of("jovl", "jovl.jar");
        for (String f : files) {
            Files.copy(from.resolveSibling(f), dir.resolve(f), StandardCopyOption.COPY_ATTRIBUTES);
        }
        return dir.resolve("jovl");
    }

    private static JovlCli.Result version(Path launcher, Path classLog) throws Exception {
        JovlCli.Result r = run(launcher, Map.of("JOVL_JAVA_OPTS", "-Xlog:class+load:file=" + classLog), "--version");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("jovl "), r.toString());
        return r;
    }

    private static JovlCli.Result run(Path launcher, Map<String, String> env, String... args) throws Exception {
        return JovlCli.run(launcher, env, RUN, args);
    }

    /** The one log among the JVMs' logs in dir that shows the class loaded. */
    private static Path logLoading(Path dir, String className) throws IOException {
        try (Stream<Path> logs = Files.list(dir)) {
            List<Path> hits = logs.filter(l -> loadLine(l, className) != null).toList();
            assertEquals(1, hits.size(), "one JVM loaded " + className + ": " + hits);
            return hits.get(0);
        }
    }

    private static void assertShared(Path log, String className, boolean shared) {
        String line = loadLine(log, className);
        if (line == null) {
            fail(className + " was not loaded at all (" + log + ")");
        }
        assertEquals(shared, line.endsWith(" source: shared objects file"), line);
    }

    /** -Xlog:class+load's line for the class: "[0.012s][info][class,load] NAME source: WHERE". */
    private static String loadLine(Path log, String className) {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("] " + className + " source: ")).findFirst().orElse(null);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + log, e);
        }
    }
}
