package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.JsonTree;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders values the way kube-apiserver's Go code prints them in error messages ({@code %q} for
 * strings, {@code %#v} for maps and slices), since users and tools match on those messages.
 */
final class GoValues {

    private GoValues() {}

    /** A value that is printed as is. */
    record Raw(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    /** Go's {@code %q}: a double-quoted string with Go escapes. */
    static String quote(String s) {
        return StatusCause.goQuote(s);
    }

    /** A value as {@code field.Invalid} prints it: strings quoted, numbers and booleans bare. */
    static String render(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> quote(s);
            case JsonNode n when n.isString() -> quote(n.stringValue());
            case JsonNode n when n.isNull() || n.isMissingNode() -> "null";
            case JsonNode n when n.isObject() -> stringMap(n).text();
            case JsonNode n -> n.toString();
            default -> String.valueOf(value);
        };
    }

    /** {@code map[string]string{"a":"1", "b":"2"}}, keys sorted as Go prints them. */
    static Raw stringMap(JsonNode object) {
        if (object == null || !object.isObject()) return new Raw("map[string]string(nil)");
        Map<String, String> sorted = new TreeMap<>();
        object.properties().forEach(e -> sorted.put(e.getKey(), JsonTree.string(e.getValue())));
        return stringMap(sorted);
    }

    static Raw stringMap(Map<String, String> map) {
        StringBuilder b = new StringBuilder("map[string]string{");
        boolean first = true;
        for (Map.Entry<String, String> e : new TreeMap<>(map).entrySet()) {
            if (!first) b.append(", ");
            first = false;
            b.append(quote(e.getKey())).append(':').append(quote(e.getValue() == null ? "" : e.getValue()));
        }
        return new Raw(b.append('}').toString());
    }

    /** {@code []string{"a", "b"}}. */
    static Raw stringSlice(List<String> values) {
        return new Raw("[]string{" + String.join(", ", values.stream().map(GoValues::quote).toList()) + "}");
    }
}
