package io.github.jovl.cli;

import io.github.jovl.oci.Progress;
import java.io.PrintWriter;

/**
 * Progress of a long import or export on stderr: on a terminal one line redrawn in place (bytes and entries),
 * otherwise a plain line every few seconds, for logs. Nothing is shown for archives done within a second.
 */
final class ProgressLine implements Progress {
    private static final long QUIET_NS = 1_000_000_000L;
    private final PrintWriter err;
    private final String verb;
    private final boolean terminal = System.console() != null;
    private final long start = System.nanoTime();
    private long last;
    private boolean drawn;

    ProgressLine(PrintWriter err, String verb) {
        this.err = err;
        this.verb = verb;
    }

    @Override
    public void update(long bytes, long entries) {
        long now = System.nanoTime();
        if (now - start < QUIET_NS || now - last < (terminal ? 100_000_000L : 5_000_000_000L)) {
            return;
        }
        last = now;
        String text = String.format("jovl: %s %s, %d entries, %.0f s", verb, size(bytes), entries,
                (now - start) / 1e9);
        if (terminal) {
            err.print("\r" + text + "\u001b[K");
        } else {
            err.println(text);
        }
        err.flush();
        drawn = true;
    }

    @Override
    public void done() {
        if (terminal && drawn) {
            err.println();
            err.flush();
        }
        drawn = false;
    }

    static String size(long b) {
        if (b < 1 << 20) {
            return (b >> 10) + " KiB";
        }
        return String.format("%.1f MiB", b / 1048576.0);
    }
}
