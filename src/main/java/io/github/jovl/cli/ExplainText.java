package io.github.jovl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jovl.union.Explanation;
import java.util.stream.Collectors;

/** How `jovl explain` prints an explanation: for people, and as JSON. */
final class ExplainText {
    private ExplainText() {
    }

    static String human(Explanation e) {
        StringBuilder b = new StringBuilder();
        if (e.visible()) {
            Explanation.LayerView top = e.layers().get(e.servedBy());
            b.append(e.path()).append(": a ").append(e.type()).append(", served by ").append(top.role())
                    .append(" (").append(top.root()).append(")\n");
        } else {
            b.append(e.path()).append(": not in the merged view\n");
        }
        if (e.copiedUp() != null) {
            b.append("  ").append(e.copiedUp()).append('\n');
        }
        if (!e.contributors().isEmpty()) {
            b.append("  entries merged from: ").append(e.contributors().stream()
                    .map(i -> e.layers().get(i).role()).collect(Collectors.joining(", "))).append('\n');
        }
        int w = e.layers().stream().mapToInt(l -> l.role().length()).max().orElse(5);
        int h = e.layers().stream().mapToInt(l -> l.holds().length()).max().orElse(7);
        for (Explanation.LayerView l : e.layers()) {
            b.append(String.format("  %-" + w + "s  %-" + h + "s  %s%n", l.role(), l.holds(), l.verdict()));
        }
        return b.toString();
    }

    static String json(Explanation e) throws JsonProcessingException {
        return new ObjectMapper().writeValueAsString(e) + "\n";
    }
}
