package io.github.jovl.fs;

/** Special nanosecond values of utimensat(2). */
public final class Utime {
    public static final long NOW = (1L << 30) - 1;
    public static final long OMIT = (1L << 30) - 2;

    private Utime() {
    }
}
