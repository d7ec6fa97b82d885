package io.kube4j.gateway.table;

import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.selection.LabelSelector;
import tools.jackson.databind.JsonNode;

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
     * yields the empty string; a malformed one (an unknown operator, a bad key or value) yields
     * {@code <invalid>}, where kube-apiserver's {@code LabelSelectorAsSelector} fails.
     */
    static String selectorString(JsonNode selector) {
        if (selector == null || !selector.isObject()) {
            return "";
        }
        try {
            return LabelSelector.fromJson(selector).toString();
        } catch (ApiException malformed) {
            return "<invalid>";
        }
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
