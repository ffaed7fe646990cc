package io.github.jovl.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jovl.config.WhiteoutFormat;
import io.github.jovl.config.XattrNamespace;
import io.github.jovl.fs.FsException;
import io.github.jovl.it.Prereq;
import io.github.jovl.union.Overlay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every scenario of the {@link Catalogue} on the engine, for both whiteout formats and with the lookup cache on
 * and off, each run judged against the scenario's own expectations; then, per format, the cache-on and cache-off
 * runs must agree step for step and tree for tree (rule 11). Char-device whiteouts and root-only fixtures skip
 * when not root, except under CI=true where they must run ({@link Prereq}).
 */
class EngineScenarioTest {
    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicNode> catalogue() {
        return Catalogue.all().stream().map(s -> {
            List<DynamicNode> runs = new ArrayList<>();
            for (WhiteoutFormat wf : List.of(WhiteoutFormat.CHARDEV, WhiteoutFormat.WHFILE)) {
                Map<Boolean, Outcome> byCache = new ConcurrentHashMap<>();
                for (boolean cache : List.of(true, false)) {
                    EngineBackend b = new EngineBackend(wf, XattrNamespace.AUTO, cache);
                    runs.add(DynamicTest.dynamicTest(b.name(), () -> {
                        prerequisites(s, wf);
                        Outcome o = Runner.run(s, b, Files.createTempDirectory(tmp, "run"));
                        byCache.put(cache, o);
                        String why = Runner.verify(s, o);
                        assertNull(why, why);
                    }));
                }
                runs.add(DynamicTest.dynamicTest(wf.name().toLowerCase() + ": cache on and off agree", () -> {
                    prerequisites(s, wf);
                    Outcome on = byCache.get(true);
                    Outcome off = byCache.get(false);
                    assertNotNull(on, "the cache-on run did not finish");
                    assertNotNull(off, "the cache-off run did not finish");
                    String why = Runner.compare(s, on.as("cache on"), off.as("cache off"), false);
                    assertNull(why, why);
                }));
            }
            return DynamicContainer.dynamicContainer(s.title(), runs);
        });
    }

    private static void prerequisites(Scenario s, WhiteoutFormat wf) {
        if (wf == WhiteoutFormat.CHARDEV) {
            Prereq.require(Prereq.isRoot(), "root, to write char-device whiteouts");
        }
        if (s.needsRoot()) {
            Prereq.require(Prereq.isRoot(), "root, for this scenario's owners or trusted.* xattrs");
        }
    }

    /** Rule 10: each bad configuration is refused at open with its errno and a message naming the problem. */
    @TestFactory
    Stream<DynamicTest> startupChecks() {
        return StartupScenarios.all().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            if (c.root()) {
                Prereq.requireRoot();
            }
            StartupScenarios.Prepared p = c.setup().prepare(Files.createTempDirectory(tmp, "startup"));
            try {
                FsException e = assertThrows(FsException.class, () -> Overlay.open(p.config()).close(),
                        c.name() + ": the engine must refuse to open");
                assertEquals(c.errno(), e.errno(), c.name() + ": errno (message: " + e.getMessage() + ")");
                for (String m : p.mentions()) {
                    assertTrue(e.getMessage().contains(m),
                            c.name() + ": the message should mention \"" + m + "\" but is: " + e.getMessage());
                }
            } finally {
                for (AutoCloseable a : p.cleanup()) {
                    a.close();
                }
            }
        }));
    }
}
