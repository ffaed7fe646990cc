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
 * on the mount, and is judged on the catalogue's expectations, whose results the kernel differential pins. One
 * report line per scenario: title, tab, PASS, or FAIL, tab, the report in base64.
 */
public final class UnprivilegedCatalogue {
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
            String why;
            try {
                why = Runner.verify(s, Runner.run(s, backend, Files.createTempDirectory(scratch, "run")));
            } catch (Exception | AssertionError e) {
                StringWriter w = new StringWriter();
                e.printStackTrace(new PrintWriter(w));
                why = "the run failed: " + w;
            }
            report.append(s.title()).append('\t').append(why == null ? "PASS" : "FAIL\t" + Base64.getEncoder()
                    .encodeToString(why.getBytes(StandardCharsets.UTF_8))).append('\n');
            Files.writeString(Path.of(args[1]), report); // as it goes: a crash still leaves what was done
        }
    }

    /** The report read back: title to empty (passed) or the failure report. */
    static Map<String, Optional<String>> read(Path report) throws java.io.IOException {
        Map<String, Optional<String>> out = new TreeMap<>();
        for (String line : Files.readAllLines(report, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", 3);
            out.put(f[0], f[1].equals("PASS") ? Optional.empty()
                    : Optional.of(new String(Base64.getDecoder().decode(f[2]), StandardCharsets.UTF_8)));
        }
        return out;
    }
}
