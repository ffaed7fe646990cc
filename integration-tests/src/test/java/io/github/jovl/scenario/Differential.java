package io.github.jovl.scenario;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

/**
 * The differential run, for any oracle and candidate: per kernel-comparable scenario, (1) the oracle must meet
 * the catalogue's expectations, (2) the candidate must do exactly what the oracle did. A FUSE IT is
 * {@code Differential.against(KERNEL, new MountedBackend(new FuseMounter(), true), () -> tmp)}.
 */
public final class Differential {
    private Differential() {
    }

    public static Stream<DynamicNode> against(Runner.Backend oracle, Runner.Backend candidate, Supplier<Path> tmp) {
        return against(oracle, candidate, tmp, s -> true);
    }

    /** As above, for the scenarios include accepts (a backend's documented limits are left out by name). */
    public static Stream<DynamicNode> against(Runner.Backend oracle, Runner.Backend candidate, Supplier<Path> tmp,
                                              java.util.function.Predicate<Scenario> include) {
        return Catalogue.all().stream().filter(Scenario::kernelComparable).filter(include).map(s -> {
            Map<String, Outcome> done = new ConcurrentHashMap<>();
            List<DynamicNode> tests = new ArrayList<>();
            tests.add(DynamicTest.dynamicTest(oracle.name() + " meets the catalogue's expectations", () -> {
                Outcome o = Runner.run(s, oracle, Files.createTempDirectory(tmp.get(), "oracle"));
                done.put("oracle", o);
                String why = Runner.verify(s, o);
                assertNull(why, why);
            }));
            tests.add(DynamicTest.dynamicTest(candidate.name() + " does what " + oracle.name() + " does", () -> {
                Outcome o = done.get("oracle");
                assertNotNull(o, "the " + oracle.name() + " run did not finish");
                Outcome c = Runner.run(s, candidate, Files.createTempDirectory(tmp.get(), "candidate"));
                String why = Runner.compare(s, o, c);
                assertNull(why, why);
            }));
            return DynamicContainer.dynamicContainer(s.title(), tests);
        });
    }
}
