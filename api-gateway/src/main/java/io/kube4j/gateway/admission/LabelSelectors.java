package io.kube4j.gateway.admission;

import io.kube4j.machinery.validation.NameValidation;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code metav1.LabelSelector} as JSON: validation with Kubernetes' paths and messages, and
 * matching against a label map (as workload validation checks a selector against its template).
 */
final class LabelSelectors {

    private LabelSelectors() {}

    private static final Set<String> OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");

    /** Whether the selector selects nothing: no matchLabels and no matchExpressions. */
    static boolean isEmpty(JsonNode selector) {
        return selector == null || !selector.isObject()
                || (Json.isEmpty(selector.get("matchLabels")) && Json.isEmpty(selector.get("matchExpressions")));
    }

    static void validate(JsonNode selector, FieldPath path, Causes causes) {
        if (selector == null || !selector.isObject()) return;
        validateLabels(selector.get("matchLabels"), path.child("matchLabels"), causes);
        Json.eachObject(selector, "matchExpressions", (i, expr) -> {
            FieldPath p = path.child("matchExpressions").index(i);
            String key = Json.textOrEmpty(expr, "key");
            String op = Json.textOrEmpty(expr, "operator");
            int values = Json.array(expr, "values").size();
            switch (op) {
                case "In", "NotIn" -> {
                    if (values == 0) causes.required(p.child("values"), "must be specified when `operator` is 'In' or 'NotIn'");
                }
                case "Exists", "DoesNotExist" -> {
                    if (values > 0) causes.forbidden(p.child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                }
                default -> causes.invalid(p.child("operator"), op, "not a valid selector operator");
            }
            causes.invalidEach(p.child("key"), key, NameValidation.isQualifiedName(key));
            for (JsonNode v : Json.array(expr, "values")) {
                String value = Json.text(v);
                if (value != null) causes.invalidEach(p.child("values"), value, NameValidation.isValidLabelValue(value));
            }
        });
    }

    /** Label keys and values, as {@code ValidateLabels} reports them. */
    static void validateLabels(JsonNode labels, FieldPath path, Causes causes) {
        if (labels == null || !labels.isObject()) return;
        labels.properties().forEach(e -> {
            causes.invalidEach(path, e.getKey(), NameValidation.isQualifiedName(e.getKey()));
            String value = Json.text(e.getValue());
            if (value != null) causes.invalidEach(path, value, NameValidation.isValidLabelValue(value));
        });
    }

    /** Whether {@code selector} matches {@code labels}; an empty selector matches everything. */
    static boolean matches(JsonNode selector, Map<String, String> labels) {
        if (selector == null || !selector.isObject()) return true;
        for (Map.Entry<String, String> e : Json.stringMap(selector, "matchLabels").entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) return false;
        }
        for (JsonNode expr : Json.array(selector, "matchExpressions")) {
            String key = Json.textOrEmpty(expr, "key");
            List<String> values = Json.array(expr, "values").stream().map(Json::text).toList();
            boolean has = labels.containsKey(key);
            boolean ok = switch (Json.textOrEmpty(expr, "operator")) {
                case "In" -> has && values.contains(labels.get(key));
                case "NotIn" -> !has || !values.contains(labels.get(key));
                case "Exists" -> has;
                case "DoesNotExist" -> !has;
                default -> false;
            };
            if (!ok) return false;
        }
        return true;
    }

    /** The selector as Go prints a {@code metav1.LabelSelector} value in errors. */
    static GoValues.Raw render(JsonNode selector) {
        StringBuilder b = new StringBuilder("v1.LabelSelector{MatchLabels:");
        JsonNode ml = selector == null ? null : selector.get("matchLabels");
        b.append(ml != null && ml.isObject() ? GoValues.stringMap(ml).text() : "map[string]string(nil)");
        b.append(", MatchExpressions:[]v1.LabelSelectorRequirement");
        List<JsonNode> exprs = Json.array(selector, "matchExpressions");
        if (exprs.isEmpty()) {
            b.append("(nil)");
        } else {
            b.append('{');
            for (int i = 0; i < exprs.size(); i++) {
                JsonNode e = exprs.get(i);
                if (i > 0) b.append(", ");
                b.append("v1.LabelSelectorRequirement{Key:").append(GoValues.quote(Json.textOrEmpty(e, "key")))
                        .append(", Operator:").append(GoValues.quote(Json.textOrEmpty(e, "operator")))
                        .append(", Values:").append(GoValues.stringSlice(
                                Json.array(e, "values").stream().map(v -> Json.text(v) == null ? "" : Json.text(v)).toList()))
                        .append('}');
            }
            b.append('}');
        }
        return new GoValues.Raw(b.append('}').toString());
    }
}
