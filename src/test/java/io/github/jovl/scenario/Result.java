package io.github.jovl.scenario;

import io.github.jovl.fs.Errno;

/**
 * What one operation gave: OK (errno null) with an optional value (file content, listing, stat line...), or an
 * errno. Two drivers agree on an operation when their Results are equal.
 */
public record Result(Errno errno, String value) {
    public static final Result OK = new Result(null, null);

    public static Result ok(String value) {
        return new Result(null, value);
    }

    public static Result failed(Errno e) {
        return new Result(e, null);
    }

    public boolean ok() {
        return errno == null;
    }

    @Override
    public String toString() {
        if (errno != null) {
            return errno.name();
        }
        return value == null ? "OK" : "OK " + value;
    }
}
