package io.github.jovl.oci;

import java.io.IOException;

/** A request the store refuses: an unknown or ambiguous name, an object still in use. The message is for users. */
public class StoreException extends IOException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }
}
