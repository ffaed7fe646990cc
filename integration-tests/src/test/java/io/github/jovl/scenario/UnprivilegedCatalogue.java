package io.github.jovl.scenario;

import io.github.jovl.it.CliMounter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The scenario catalogue through mounts made by an unprivileged user: the main of a child JVM that
 * {@link UnprivilegedCatalogueIT} starts as uid 65534. Each selected scenario gets its layers (owned by that
 * user, markers in the user.overlay.* form), a real {@code jovl mount} and {@code jovl umount}, real system calls
 * on the mount, and is judged on the catalogue's expectations, whose results the kernel differential pins. The
 * run's directory keeps the layers and the view it saw ({@value #VIEW}), for a kernel mount to read back. One
 * report line per scenario: title, run directory, PASS or FAIL and the report in base64, tab-separated.
 */
public final class UnprivilegedCatalogue {
    static final String VIEW = "view.txt";
    static final String FALLBACK = "jovl: kernel overlay not used: mounting needs CAP_SYS_ADMIN; using FUSE\n";

    private UnprivilegedCatalogue() {
    }

    /**
     * The kernel-comparable scenarios an unprivileged user can meet: none that needs root's powers (other
     * owners, chown, devices, trusted.* xattrs), none with renameat2 flags, which libfuse2 refuses before jovl
     * sees them (FuseDifferentialIT pins that limit).
     */
    static List<Scenario> selected() {
        return Catalogue.all().stream().filter(Scenario::kernelComparable).filter(s -> !s.needsRootPowers())
                .filter(s -> !FuseDifferentialIT.usesRenameFlags(s)).toList();
    }

    /** args: a scratch directory this user owns, and the report file to write. */
    public static void main(String[] args) throws Exception {
        Path scratch = Path.of(args[0]);
        Runner.Backend backend = new MountedBackend(new CliMounter(FALLBACK), true);
        StringBuilder report = new StringBuilder();
        for (Scenario s : selected()) {
            Path run = Files.createTempDirectory(scratch, "run");
            String why;
            try {
                Outcome o = Runner.run(s, backend, run);
                Files.writeString(run.resolve(VIEW), o.view().render());
                why = Runner.verify(s, o);
            } catch (Exception | AssertionError e) {
                StringWriter w = new StringWriter();
                e.printStackTrace(new PrintWriter(w));
                why = "the run failed: " + w;
            }
            report.append(s.title()).append('\t').append(run.getFileName()).append('\t').append(why == null ? "PASS" : "FAIL\t" + Base64.getEncoder()
                    .encodeToString(why.getBytes(StandardCharsets.UTF_8))).append('\n');
            Files.writeString(Path.of(args[1]), report); // as it goes: a crash still leaves what was done
        }
    }

    /** One scenario's result: the directory of its run, and the failure report unless it passed. */
    record Verdict(Path run, Optional<String> failure) {
    }

    /** The report read back, by scenario title. */
    static Map<String, Verdict> read(Path report) throws java.io.IOException {
        Map<String, Verdict> out = new TreeMap<>();
        for (String line : Files.readAllLines(report, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", 4);
            out.put(f[0], new Verdict(report.resolveSibling(f[1]), f[2].equals("PASS") ? Optional.empty()
                    : Optional.of(new String(Base64.getDecoder().decode(f[3]), StandardCharsets.UTF_8))));
        }
        return out;
    }
}
