package io.github.jovl.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe on this host, as root: it must find a usable kernel overlay and leave nothing behind. */
class KernelProbeIT {
    @TempDir
    Path tmp;

    @Test
    void rootFindsAUsableKernelOverlayAndCleansUp() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        boolean root = KernelProbe.hasCapability(21);
        if (!ci) {
            Assumptions.assumeTrue(root && KernelProbe.listsOverlay(), "needs root and kernel overlayfs");
        }
        KernelSupport s = KernelProbe.probe(tmp, false);
        assertTrue(s.usable(), () -> "kernel overlay not usable: " + s.reason());
        assertNull(s.reason());
        assertFalse(s.userxattr(), "root mounts with trusted.* markers");
        assertTrue(s.chardevWhiteouts());
        try (var left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList(), "the probe removes its scratch directory");
        }
    }
}
