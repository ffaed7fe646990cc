package io.github.jovl.scenario;

/**
 * Every object a fixture creates gets a fixed mtime that names its layer, so a snapshot can say which layer an
 * attribute came from ("mtime=lower1") and whether copy-up kept it. Times set by a scenario (before 2021) print
 * as numbers; anything later was set by the clock during the run and prints as "now".
 */
public final class FixtureTimes {
    /** 2020-01-01T00:00:00Z. */
    public static final long UPPER_SEC = 1_577_836_800L;
    private static final long DAY = 86_400L;
    private static final long CLOCK_FROM_SEC = 1_609_459_200L; // 2021-01-01

    private FixtureTimes() {
    }

    /** Lower i is i+1 days older than the upper fixture. */
    public static long lowerSec(int i) {
        return UPPER_SEC - (i + 1) * DAY;
    }

    public static String label(long ns) {
        long sec = Math.floorDiv(ns, 1_000_000_000L);
        long nsec = Math.floorMod(ns, 1_000_000_000L);
        if (nsec == 0 && sec == UPPER_SEC) {
            return "upper";
        }
        for (int i = 0; i < 16; i++) {
            if (nsec == 0 && sec == lowerSec(i)) {
                return "lower" + i;
            }
        }
        if (sec >= CLOCK_FROM_SEC) {
            return "now";
        }
        return sec + "." + String.format("%09d", nsec);
    }
}
