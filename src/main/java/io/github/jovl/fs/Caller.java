package io.github.jovl.fs;

/**
 * Who asks for an object to be created: new objects are owned by the caller, as on the kernel overlay.
 * {@link #SELF} means "whoever runs the engine", and no ownership change is made.
 */
public record Caller(int uid, int gid) {
    public static final Caller SELF = new Caller(-1, -1);

    public boolean isSelf() {
        return uid < 0;
    }
}
