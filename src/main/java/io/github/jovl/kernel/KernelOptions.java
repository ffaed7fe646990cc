package io.github.jovl.kernel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The mount(2) data string of a kernel overlay: lowerdir with ':' between layers, and '\' escaping the
 * characters the kernel's option parser splits on (',' between options, ':' between lowers).
 *
 * @param extra further kernel options, already in kernel syntax (e.g. "userxattr", "redirect_dir=on")
 */
public record KernelOptions(List<Path> lowers, Path upper, Path work, List<String> extra) {
    /** mount(2) copies at most one page of data. */
    public static final int MAX_DATA = 4095;

    public KernelOptions {
        lowers = List.copyOf(lowers);
        extra = List.copyOf(extra);
    }

    public String data() {
        List<String> parts = new ArrayList<>();
        List<String> ls = new ArrayList<>();
        for (Path l : lowers) {
            ls.add(escape(l.toAbsolutePath().toString()));
        }
        parts.add("lowerdir=" + String.join(":", ls));
        if (upper != null) {
            parts.add("upperdir=" + escape(upper.toAbsolutePath().toString()));
            parts.add("workdir=" + escape(work.toAbsolutePath().toString()));
        }
        parts.addAll(extra);
        return String.join(",", parts);
    }

    public KernelOptions with(String option) {
        List<String> e = new ArrayList<>(extra);
        e.add(option);
        return new KernelOptions(lowers, upper, work, e);
    }

    static String escape(String path) {
        StringBuilder b = new StringBuilder(path.length());
        for (char c : path.toCharArray()) {
            if (c == '\\' || c == ':' || c == ',') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
