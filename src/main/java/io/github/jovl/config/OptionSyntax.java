package io.github.jovl.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's mount-option syntax: options split on ',', lowerdir entries on ':', and a backslash makes the
 * next character literal in both places (kernel overlayfs {@code ovl_next_opt} and {@code ovl_unescape}). So
 * {@code lowerdir=/a\:b:/c} is the two layers "/a:b" and "/c", and {@code upperdir=/x\,y} is "/x,y".
 */
public final class OptionSyntax {
    private OptionSyntax() {
    }

    /** Splits on every sep not preceded by a backslash; the pieces keep their escapes. */
    public static List<String> split(String s, char sep) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == sep) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }

    /** Drops each escaping backslash; a trailing lone backslash is kept, as the kernel keeps it. */
    public static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                c = s.charAt(++i);
            }
            b.append(c);
        }
        return b.toString();
    }

    /** The inverse of {@link #unescape}: a backslash before every '\', ',' and ':'. */
    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (char c : s.toCharArray()) {
            if (c == '\\' || c == ',' || c == ':') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
