package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.object.JsonTree;
import io.kube4j.machinery.selection.LabelSelector;
import io.kube4j.machinery.validation.NameValidation;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * {@code metav1.LabelSelector} as JSON: validation with Kubernetes' paths and messages, and
 * matching against a label map (as workload validation checks a selector against its template).
 */
final class LabelSelectors {

    private LabelSelectors() {}

    /** Whether the selector selects nothing: no matchLabels and no matchExpressions. */
    static boolean isEmpty(JsonNode selector) {
        return selector == null || !selector.isObject()
                || (JsonTree.isEmpty(selector.get("matchLabels")) && JsonTree.isEmpty(selector.get("matchExpressions")));
    }

    /** The selector's keys, operators and values, as {@code ValidateLabelSelector} reports them. */
    static void validate(JsonNode selector, FieldPath path, Causes causes) {
        if (selector == null || !selector.isObject()) return;
        causes.addAll(LabelSelector.validate(selector, path.text()));
    }

    /** Label keys and values, as {@code ValidateLabels} reports them. */
    static void validateLabels(JsonNode labels, FieldPath path, Causes causes) {
        if (labels == null || !labels.isObject()) return;
        labels.properties().forEach(e -> {
            causes.invalidEach(path, e.getKey(), NameValidation.isQualifiedName(e.getKey()));
            String value = JsonTree.string(e.getValue());
            if (value != null) causes.invalidEach(path, value, NameValidation.isValidLabelValue(value));
        });
    }

    /**
     * Whether {@code selector} matches {@code labels}; an empty or absent selector matches everything, a
     * malformed one (which {@link #validate} reports) nothing.
     */
    static boolean matches(JsonNode selector, Map<String, String> labels) {
        if (selector == null || !selector.isObject()) return true;
        try {
            return LabelSelector.fromJson(selector).matches(labels);
        } catch (ApiException malformed) {
            return false;
        }
    }

    /** The selector as Go prints a {@code metav1.LabelSelector} value in errors. */
    static GoValues.Raw render(JsonNode selector) {
        StringBuilder b = new StringBuilder("v1.LabelSelector{MatchLabels:");
        JsonNode ml = selector == null ? null : selector.get("matchLabels");
        b.append(ml != null && ml.isObject() ? GoValues.stringMap(ml).text() : "map[string]string(nil)");
        b.append(", MatchExpressions:[]v1.LabelSelectorRequirement");
        List<JsonNode> exprs = JsonTree.elements(selector, "matchExpressions");
        if (exprs.isEmpty()) {
            b.append("(nil)");
        } else {
            b.append('{');
            for (int i = 0; i < exprs.size(); i++) {
                JsonNode e = exprs.get(i);
                if (i > 0) b.append(", ");
                b.append("v1.LabelSelectorRequirement{Key:").append(GoValues.quote(JsonTree.stringOrEmpty(e, "key")))
                        .append(", Operator:").append(GoValues.quote(JsonTree.stringOrEmpty(e, "operator")))
                        .append(", Values:").append(GoValues.stringSlice(
                                JsonTree.elements(e, "values").stream().map(v -> JsonTree.string(v) == null ? "" : JsonTree.string(v)).toList()))
                        .append('}');
            }
            b.append('}');
        }
        return new GoValues.Raw(b.append('}').toString());
    }
}
