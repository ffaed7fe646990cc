package io.github.jovl.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jovl.it.FuseMounter;
import io.github.jovl.it.Mounts;
import io.github.jovl.it.Prereq;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The third way: every kernel-comparable scenario through a real jovl FUSE mount, with real system calls, must do
 * exactly what kernel overlayfs does (results, merged view, upper markers). Needs root, FUSE and overlayfs.
 */
class FuseDifferentialIT {
    private static final Runner.Backend FUSE = new MountedBackend(new FuseMounter(), true);

    @TempDir
    Path tmp;

    @BeforeEach
    void prerequisites() {
        Prereq.requireKernelOverlay();
        Prereq.requireFuse();
    }

    @AfterEach
    void noMountLeftBehind() throws Exception {
        assertEquals(List.of(), Mounts.detachAllUnder(tmp), "mounts left behind (now detached)");
    }

    /**
     * libfuse2's high-level API has no rename2: the kernel answers RENAME_NOREPLACE and RENAME_EXCHANGE with EINVAL
     * before jovl sees them. Those scenarios are left out here (the engine meets them in KernelDifferentialIT),
     * and {@link #renameFlagsAreEinvalThroughFuse} pins the limit so a change in it is noticed.
     */
    static boolean usesRenameFlags(Scenario s) {
        return s.ops().stream().map(Object::toString).anyMatch(o -> o.contains("NOREPLACE") || o.contains("EXCHANGE"));
    }

    @TestFactory
    Stream<DynamicNode> fuseAgainstKernel() {
        return Differential.against(KernelDifferentialIT.KERNEL, FUSE, () -> tmp, s -> !usesRenameFlags(s));
    }

    @org.junit.jupiter.api.Test
    void renameFlagsAreEinvalThroughFuse() throws Exception {
        Scenario s = Scenario.of("limits", "rename flags through libfuse2")
                .layers(Layers.lowers(LayerSpec.layer().file("a", "A").file("b", "B")))
                .does(Ops.renameNoReplace("a", "c"), Ops.renameExchange("a", "b"));
        Outcome o = Runner.run(s, FUSE, java.nio.file.Files.createTempDirectory(tmp, "flags"));
        assertEquals(List.of(io.github.jovl.fs.Errno.EINVAL, io.github.jovl.fs.Errno.EINVAL),
                o.results().stream().map(Result::errno).toList());
    }
}
