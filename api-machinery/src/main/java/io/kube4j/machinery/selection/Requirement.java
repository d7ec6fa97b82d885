package io.kube4j.machinery.selection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.validation.NameValidation;

/**
 * One requirement of a label selector: a key, an operator and its values (sorted, without duplicates).
 *
 * @param key      the label key
 * @param operator the operator
 * @param values   the values, sorted: one for the equality and comparison operators, at least one for
 *                 {@code in}/{@code notin}, none for existence
 */
public record Requirement(String key, Operator operator, List<String> values) {

    public Requirement {
        values = List.copyOf(new TreeSet<>(values));
    }

    /**
     * A validated requirement, checked as Kubernetes' {@code NewRequirement} checks it.
     *
     * @throws IllegalArgumentException with Kubernetes' message (several joined as {@code [a, b]})
     */
    public static Requirement of(String key, Operator operator, List<String> values) {
        List<String> errors = new ArrayList<>();
        NameValidation.isQualifiedName(key).stream().findFirst().ifPresent(m ->
                errors.add(StatusCause.invalid("key", key, String.join("; ", NameValidation.isQualifiedName(key)))
                        .render()));
        switch (operator) {
            case IN, NOT_IN -> {
                if (values.isEmpty()) {
                    errors.add("values: Invalid value: " + goList(values)
                            + ": for 'in', 'notin' operators, values set can't be empty");
                }
            }
            case EQUALS, DOUBLE_EQUALS, NOT_EQUALS -> {
                if (values.size() != 1) {
                    errors.add("values: Invalid value: " + goList(values)
                            + ": exact-match compatibility requires one single value");
                }
            }
            case EXISTS, DOES_NOT_EXIST -> {
                if (!values.isEmpty()) {
                    errors.add("values: Invalid value: " + goList(values)
                            + ": values set must be empty for exists and does not exist");
                }
            }
            case GREATER_THAN, LESS_THAN -> {
                if (values.size() != 1) {
                    errors.add("values: Invalid value: " + goList(values)
                            + ": for 'Gt', 'Lt' operators, exactly one value is required");
                }
                for (int i = 0; i < values.size(); i++) {
                    try {
                        Long.parseLong(values.get(i));
                    } catch (NumberFormatException e) {
                        errors.add("values[" + i + "]: Invalid value: \"" + values.get(i)
                                + "\": for 'Gt', 'Lt' operators, the value must be an integer");
                    }
                }
            }
        }
        for (int i = 0; i < values.size(); i++) {
            List<String> problems = NameValidation.isValidLabelValue(values.get(i));
            if (!problems.isEmpty()) {
                // Kubernetes subscripts the value's path with the key: values[0][app]
                errors.add("values[" + i + "][" + key + "]: Invalid value: \"" + values.get(i) + "\": "
                        + String.join("; ", problems));
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(errors.size() == 1 ? errors.getFirst()
                    : "[" + String.join(", ", errors) + "]");
        }
        return new Requirement(key, operator, values);
    }

    /** A list of values as Kubernetes renders a bad value that is a list: JSON, {@code null} when empty. */
    private static String goList(List<String> values) {
        if (values.isEmpty()) return "null";
        return "[" + String.join(",", values.stream().map(Requirement::jsonString).toList()) + "]";
    }

    private static String jsonString(String s) {
        return tools.jackson.databind.node.JsonNodeFactory.instance.stringNode(s).toString();
    }

    /** Whether a set of labels satisfies this requirement. */
    public boolean matches(Map<String, String> labels) {
        String value = labels == null ? null : labels.get(key);
        return switch (operator) {
            case IN, EQUALS, DOUBLE_EQUALS -> value != null && values.contains(value);
            case NOT_IN, NOT_EQUALS -> value == null || !values.contains(value);
            case EXISTS -> value != null;
            case DOES_NOT_EXIST -> value == null;
            case GREATER_THAN, LESS_THAN -> {
                if (value == null) yield false;
                try {
                    long actual = Long.parseLong(value);
                    long bound = Long.parseLong(values.getFirst());
                    yield operator == Operator.GREATER_THAN ? actual > bound : actual < bound;
                } catch (NumberFormatException e) {
                    yield false;
                }
            }
        };
    }

    /** The requirement in Kubernetes' canonical query-string form. */
    @Override
    public String toString() {
        return switch (operator) {
            case EXISTS -> key;
            case DOES_NOT_EXIST -> "!" + key;
            case IN -> key + " in (" + String.join(",", values) + ")";
            case NOT_IN -> key + " notin (" + String.join(",", values) + ")";
            case EQUALS -> key + "=" + values.getFirst();
            case DOUBLE_EQUALS -> key + "==" + values.getFirst();
            case NOT_EQUALS -> key + "!=" + values.getFirst();
            case GREATER_THAN -> key + ">" + values.getFirst();
            case LESS_THAN -> key + "<" + values.getFirst();
        };
    }
}
