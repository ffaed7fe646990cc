package io.github.jovl.scenario;

import io.github.jovl.fs.Errno;
import io.github.jovl.fs.Errors;
import java.util.Map;
import java.util.Objects;

/**
 * One step of a scenario: what to do to the merged view, and what it should give (OK unless told otherwise).
 * Ops are immutable; {@code Ops.mkdir("d").fails(Errno.EEXIST)} is a new op.
 */
public final class Op {
    /** What a step may use: the driver, inode numbers remembered and files held open by earlier steps. */
    public record Ctx(Driver driver, Map<String, Long> marks, Map<String, Long> handles) {
    }

    /** Returns the value the step produced (content, listing...) or null. */
    public interface Body {
        String run(Ctx c) throws Exception;
    }

    private final String text;
    private final Body body;
    private final Errno errno;
    private final String value;
    private final boolean valueIsPart;
    private final boolean anyResult;

    Op(String text, Body body) {
        this(text, body, null, null, false, false);
    }

    private Op(String text, Body body, Errno errno, String value, boolean valueIsPart, boolean anyResult) {
        this.text = text;
        this.body = body;
        this.errno = errno;
        this.value = value;
        this.valueIsPart = valueIsPart;
        this.anyResult = anyResult;
    }

    /** The step must fail with this errno. */
    public Op fails(Errno e) {
        return new Op(text, body, e, null, false, false);
    }

    /** The step must succeed and give exactly this value. */
    public Op gives(String v) {
        return new Op(text, body, null, v, false, false);
    }

    /** The step must succeed and its value must contain this text. */
    public Op givesContaining(String part) {
        return new Op(text, body, null, part, true, false);
    }

    /**
     * Any result will do: for steps whose outcome no contract fixes, in scenarios that judge only the end state
     * and the invariants (a differential run still compares the result with the oracle's).
     */
    public Op anyResult() {
        return new Op(text, body, null, null, false, true);
    }

    public String text() {
        return text;
    }

    /** Runs the step; any failure becomes its errno through the one exception table. */
    public Result apply(Ctx c) {
        try {
            return Result.ok(body.run(c));
        } catch (Exception e) {
            return Result.failed(Errors.errno(e));
        }
    }

    /** Null when r is what this step expects, else why not. */
    public String mismatch(Result r) {
        if (anyResult) {
            return null;
        }
        if (errno != null) {
            return r.errno() == errno ? null : "expected " + errno + ", got " + r;
        }
        if (!r.ok()) {
            return "expected OK" + (value == null ? "" : " " + value) + ", got " + r;
        }
        if (value == null) {
            return null;
        }
        boolean good = valueIsPart ? r.value() != null && r.value().contains(value) : Objects.equals(value, r.value());
        return good ? null : "expected " + (valueIsPart ? "a value containing " : "") + value + ", got " + r;
    }

    @Override
    public String toString() {
        return text;
    }
}
