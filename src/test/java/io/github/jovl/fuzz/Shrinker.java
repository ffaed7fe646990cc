package io.github.jovl.fuzz;

import io.github.jovl.scenario.Op;
import java.util.ArrayList;
import java.util.List;

/**
 * Shrinks a failing operation sequence to a small one that still fails (delta debugging): drop ever smaller
 * chunks while the failure persists, ending with single operations. The test is expensive (two real runs), so
 * the number of tries is bounded.
 */
public final class Shrinker {
    /** Whether a sequence still shows the failure. */
    public interface StillFails {
        boolean test(List<Op> ops) throws Exception;
    }

    private Shrinker() {
    }

    public static List<Op> shrink(List<Op> failing, StillFails fails, int maxTries) throws Exception {
        List<Op> cur = new ArrayList<>(failing);
        int tries = 0;
        int chunk = Math.max(1, cur.size() / 2);
        while (chunk >= 1 && tries < maxTries) {
            boolean removed = false;
            for (int start = 0; start < cur.size() && tries < maxTries; ) {
                List<Op> cand = new ArrayList<>(cur.subList(0, start));
                cand.addAll(cur.subList(Math.min(cur.size(), start + chunk), cur.size()));
                tries++;
                if (!cand.isEmpty() && fails.test(cand)) {
                    cur = cand;
                    removed = true;
                } else {
                    start += chunk;
                }
            }
            if (!removed) {
                chunk /= 2;
            }
        }
        return cur;
    }
}
