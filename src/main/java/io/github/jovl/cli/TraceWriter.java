package io.github.jovl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jovl.fs.RelPath;
import io.github.jovl.union.OverlayEvents;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * `jovl mount --trace`: one line per semantic event as it happens, for people ("12:00:01.234 copy-up /etc/hosts
 * from lower 1 ...") or as JSON lines for programs. Called under the engine's lock, so it only formats and prints.
 */
final class TraceWriter implements OverlayEvents {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private final PrintStream out;
    private final boolean json;
    private final ObjectMapper mapper = new ObjectMapper();

    TraceWriter(PrintStream out, boolean json) {
        this.out = out;
        this.json = json;
    }

    @Override
    public void copiedUp(RelPath path, String fromLayer, long bytes, long nanos) {
        emit("copy-up", path, fields("from", fromLayer, "bytes", bytes, "ms", ms(nanos)),
                "copied up from " + fromLayer + ": " + bytes + " bytes in " + ms(nanos) + " ms");
    }

    @Override
    public void whiteoutCreated(RelPath path, String form) {
        emit("whiteout", path, fields("form", form), "whiteout created (" + form + ")");
    }

    @Override
    public void opaqueCreated(RelPath path, String form) {
        emit("opaque", path, fields("form", form), "directory made opaque (" + form + ")");
    }

    @Override
    public void lookupMiss(RelPath path, int layersSearched, long nanos) {
        emit("lookup-miss", path, fields("layers", layersSearched, "ms", ms(nanos)),
                "looked up in " + layersSearched + " layers (not cached) in " + ms(nanos) + " ms");
    }

    private void emit(String event, RelPath path, Map<String, Object> extra, String words) {
        if (!json) {
            out.println(LocalTime.now().format(TIME) + " " + event + " " + path.display() + ": " + words);
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", System.currentTimeMillis());
        m.put("event", event);
        m.put("path", path.display());
        m.putAll(extra);
        try {
            out.println(mapper.writeValueAsString(m));
        } catch (JsonProcessingException e) {
            out.println("{\"event\":\"" + event + "\",\"error\":\"unserialisable\"}");
        }
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }

    private static Map<String, Object> fields(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
