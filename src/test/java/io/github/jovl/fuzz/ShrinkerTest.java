package io.github.jovl.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jovl.scenario.Op;
import io.github.jovl.scenario.Ops;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShrinkerTest {
    @Test
    void keepsOnlyTheOperationsTheFailureNeeds() throws Exception {
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ops.add(Ops.write("f" + i, "x"));
        }
        // "fails" whenever both op 7 and op 31 are present, in that order
        Shrinker.StillFails needs = l -> l.contains(ops.get(7)) && l.contains(ops.get(31))
                && l.indexOf(ops.get(7)) < l.indexOf(ops.get(31));
        assertEquals(List.of(ops.get(7), ops.get(31)), Shrinker.shrink(ops, needs, 1000));
    }
}
