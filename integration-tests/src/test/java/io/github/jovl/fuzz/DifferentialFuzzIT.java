package io.github.jovl.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.jovl.config.WhiteoutFormat;
import io.github.jovl.config.XattrNamespace;
import io.github.jovl.it.FuseMounter;
import io.github.jovl.it.KernelMounter;
import io.github.jovl.it.Mounts;
import io.github.jovl.it.Prereq;
import io.github.jovl.scenario.EngineBackend;
import io.github.jovl.scenario.Layers;
import io.github.jovl.scenario.MountedBackend;
import io.github.jovl.scenario.Op;
import io.github.jovl.scenario.Ops;
import io.github.jovl.scenario.Outcome;
import io.github.jovl.scenario.Runner;
import io.github.jovl.scenario.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random operation sequences on random layer sets, run on kernel overlayfs (the oracle) and on the engine, each
 * over its own copy of the layers. Every step's result (errno, or the value of a read or listing) must agree,
 * checkpoints every {@link RandomOverlay#CHECKPOINT} operations compare listings and contents, and the final
 * merged views and upper markers must be equal. A divergence is shrunk to a minimal sequence and reported with
 * its seed.
 *
 * <p>Budget: -Djovl.fuzz.seeds (default 20) x -Djovl.fuzz.ops (default 300); -Djovl.fuzz.seed=N starts at seed N
 * (to reproduce one). The long mode is e.g. -Djovl.fuzz.seeds=500 -Djovl.fuzz.ops=1000.
 */
class DifferentialFuzzIT {
    private static final Runner.Backend KERNEL = new MountedBackend(new KernelMounter(), false);
    private static final Runner.Backend ENGINE = new EngineBackend(WhiteoutFormat.CHARDEV, XattrNamespace.TRUSTED,
            true);
    private static final Runner.Backend FUSE = new MountedBackend(new FuseMounter(), true);

    @TempDir
    Path tmp;

    @AfterEach
    void noMountLeftBehind() throws Exception {
        assertEquals(List.of(), Mounts.detachAllUnder(tmp), "mounts left behind (now detached)");
    }

    @Test
    void engineAgreesWithTheKernelOnRandomOperations() throws Exception {
        fuzz(ENGINE, true);
    }

    /** The same through a real jovl FUSE mount (no rename flags: libfuse2 refuses them, a documented limit). */
    @Test
    void fuseMountAgreesWithTheKernelOnRandomOperations() throws Exception {
        Prereq.requireFuse();
        fuzz(FUSE, false);
    }

    private void fuzz(Runner.Backend candidate, boolean renameFlags) throws Exception {
        Prereq.requireKernelOverlay();
        int seeds = Integer.getInteger("jovl.fuzz.seeds", 20);
        int n = Integer.getInteger("jovl.fuzz.ops", 300);
        long first = Long.getLong("jovl.fuzz.seed", 1);
        long ops = 0;
        for (long seed = first; seed < first + seeds; seed++) {
            Random r = new Random(seed);
            Layers layers = consistentLayers(seed, r);
            List<Op> sequence = RandomOverlay.ops(r, n, renameFlags);
            ops += sequence.size();
            String why = divergence(candidate, seed, layers, sequence);
            if (why != null) {
                long s = seed;
                List<Op> minimal = Shrinker.shrink(sequence, l -> divergence(candidate, s, layers, l) != null, 400);
                fail(candidate.name() + " differs from the kernel, seed " + seed + " (reproduce: -Djovl.fuzz.seed=" + seed
                        + " -Djovl.fuzz.seeds=1 -Djovl.fuzz.ops=" + n + "); shrunk from " + sequence.size()
                        + " to " + minimal.size() + " operations:\n" + divergence(candidate, seed, layers, minimal));
            }
        }
        System.out.println("fuzz (" + candidate.name() + "): " + seeds + " seeds, " + ops
                + " operations per backend, no divergence");
    }

    /**
     * Random layers the kernel shows consistently. A whiteout in a directory no lower layer merges with is listed by
     * the kernel's readdir yet not found by lookup; such a layer set is degenerate (nothing real writes it), so
     * the kernel itself decides: layers on which its untouched view breaks an invariant are drawn again.
     */
    private Layers consistentLayers(long seed, Random r) throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            Layers layers = RandomOverlay.layers(r);
            Scenario s = Scenario.of("fuzz", "layers of seed " + seed).layers(layers).does(Ops.readdir(""));
            Path dir = Files.createTempDirectory(tmp, "layers" + seed);
            try {
                if (Runner.run(s, KERNEL, dir).problems().isEmpty()) {
                    return layers;
                }
            } finally {
                removeTree(dir);
            }
        }
        throw new AssertionError("seed " + seed + ": no kernel-consistent layer set in 50 draws");
    }

    private String divergence(Runner.Backend candidate, long seed, Layers layers, List<Op> ops) throws Exception {
        Scenario s = Scenario.of("fuzz", "seed " + seed).layers(layers).does(ops.toArray(new Op[0]));
        Path dir = Files.createTempDirectory(tmp, "seed" + seed);
        try {
            Outcome k = Runner.run(s, KERNEL, Files.createDirectories(dir.resolve("k")));
            Outcome e = Runner.run(s, candidate, Files.createDirectories(dir.resolve("e")));
            return Runner.compare(s, k, e);
        } finally {
            removeTree(dir);
        }
    }

    private static void removeTree(Path p) throws Exception {
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
