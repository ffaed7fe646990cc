package io.github.jovl.oci;

import java.io.IOException;

/**
 * Input that jovl refuses: a hostile or broken archive, manifest or digest. The message is one line that names
 * the offending entry, so a user sees at once which name of which archive is wrong.
 */
public class BadArchiveException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String entry;

    public BadArchiveException(String entry, String reason) {
        super(oneLine(entry == null ? reason : "entry '" + entry + "': " + reason));
        this.entry = entry;
    }

    public BadArchiveException(String entry, String reason, Throwable cause) {
        this(entry, reason);
        initCause(cause);
    }

    /** The entry (or manifest field) at fault; null when the archive as a whole is. */
    public String entry() {
        return entry;
    }

    /** Names may hold newlines or control characters; escape them so the error stays on one line. */
    private static String oneLine(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
