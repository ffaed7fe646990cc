package io.github.jovl.scenario;

import io.github.jovl.config.WhiteoutFormat;
import java.util.List;

/**
 * Everything one run of a scenario produced: the result of each step, the merged view at the end, the upper's
 * markers after the view was closed, the marker forms the backend writes, and the invariant violations found
 * (a lower changed, a marker shown, st_ino shared, workdir not emptied).
 */
public record Outcome(String driver, List<Result> results, Tree view, Tree upper, WhiteoutFormat whiteoutFormat,
                      String opaquePrefix, List<String> problems) {
    public Outcome {
        results = List.copyOf(results);
        problems = List.copyOf(problems);
    }

    /** The same outcome under another name, for messages comparing two runs of one backend. */
    public Outcome as(String name) {
        return new Outcome(name, results, view, upper, whiteoutFormat, opaquePrefix, problems);
    }

    /** The opaque form the backend writes, as {@link Tree} names it. */
    public String opaqueForm() {
        return opaquePrefix.startsWith("trusted.") ? "trusted" : "user";
    }

    /** The whiteout form the backend writes, as {@link Tree} names it. */
    public String whiteoutForm() {
        return whiteoutFormat == WhiteoutFormat.WHFILE ? "whfile" : "chardev";
    }
}
