package io.github.jovl.config;

/** A mount option jovl cannot honour, with a message that names the option and what to do instead. */
public class MountOptionException extends Exception {
    private static final long serialVersionUID = 1L;

    public MountOptionException(String message) {
        super(message);
    }
}
