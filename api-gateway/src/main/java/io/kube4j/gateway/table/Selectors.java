package io.kube4j.gateway.table;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Label maps and label selectors in the text form kubectl users read and type. */
final class Selectors {

    static final String NONE = "<none>";

    private Selectors() {}

    /** {@code a=1,b=2} sorted by key, or {@code <none>} for an empty map. */
    static String formatLabels(Map<String, String> labels) {
        if (labels.isEmpty()) {
            return NONE;
        }
        return labels.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    /**
     * A {@code LabelSelector} as a selector string: requirements sorted by key, {@code k=v},
     * {@code k in (a,b)}, {@code k notin (a,b)}, {@code k}, {@code !k}. An absent or empty selector
     * yields the empty string; an unknown operator yields {@code <invalid>}.
     */
    static String selectorString(JsonNode selector) {
        if (selector == null || !selector.isObject()) {
            return "";
        }
        record Requirement(String key, String text) {}
        List<Requirement> requirements = new ArrayList<>();
        Fields.stringMap(selector, "matchLabels").forEach((k, v) -> requirements.add(new Requirement(k, k + "=" + v)));
        for (JsonNode expression : Fields.list(selector, "matchExpressions")) {
            String key = Fields.text(expression, "key");
            List<String> values = Fields.list(expression, "values").stream().map(Fields::text).sorted().toList();
            String text = switch (Fields.text(expression, "operator")) {
                case "In" -> key + " in (" + String.join(",", values) + ")";
                case "NotIn" -> key + " notin (" + String.join(",", values) + ")";
                case "Exists" -> key;
                case "DoesNotExist" -> "!" + key;
                default -> null;
            };
            if (text == null) {
                return "<invalid>";
            }
            requirements.add(new Requirement(key, text));
        }
        requirements.sort(Comparator.comparing(Requirement::key));
        return requirements.stream().map(Requirement::text).collect(Collectors.joining(","));
    }

    /** {@link #selectorString} with {@code <none>} in place of the empty string. */
    static String formatLabelSelector(JsonNode selector) {
        String s = selectorString(selector);
        if ("<invalid>".equals(s)) {
            return "<error>";
        }
        return s.isEmpty() ? NONE : s;
    }
}
