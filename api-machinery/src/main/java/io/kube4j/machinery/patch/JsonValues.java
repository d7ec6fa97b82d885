package io.kube4j.machinery.patch;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Value helpers shared by the patch functions: JSON equality and Go-style rendering for messages. */
final class JsonValues {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonValues() {}

    /**
     * JSON equality as JSON defines it: numbers compare by value (1 equals 1.0), objects ignore key order.
     * Jackson's own {@code equals} tells an int node from a double node, which JSON does not.
     */
    static boolean jsonEquals(JsonNode a, JsonNode b) {
        if (a == null || b == null) return a == b;
        if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue()) == 0;
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) return false;
            for (Map.Entry<String, JsonNode> e : a.properties()) {
                JsonNode other = b.get(e.getKey());
                if (other == null || !jsonEquals(e.getValue(), other)) return false;
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) return false;
            for (int i = 0; i < a.size(); i++) {
                if (!jsonEquals(a.get(i), b.get(i))) return false;
            }
            return true;
        }
        if (a.getNodeType() != b.getNodeType()) return false;
        return a.equals(b);
    }

    /** Whether two nodes have the same JSON type (the kinds a decoded Go value could have). */
    static boolean sameType(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) return true;
        return a.getNodeType() == b.getNodeType();
    }

    /** Renders a value as Go's {@code %v} renders the decoded value; kube-apiserver's messages embed it. */
    static String go(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return "<nil>";
        if (n.isString()) return n.stringValue();
        if (n.isNumber()) return goNumber(n.decimalValue());
        if (n.isBoolean()) return String.valueOf(n.booleanValue());
        if (n.isArray()) {
            List<String> items = new ArrayList<>();
            n.values().forEach(v -> items.add(go(v)));
            return "[" + String.join(" ", items) + "]";
        }
        if (n.isObject()) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            n.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
            List<String> items = new ArrayList<>();
            sorted.forEach((k, v) -> items.add(k + ":" + go(v)));
            return "map[" + String.join(" ", items) + "]";
        }
        return n.toString();
    }

    private static String goNumber(BigDecimal d) {
        BigDecimal stripped = d.stripTrailingZeros();
        if (stripped.scale() <= 0 && stripped.precision() - stripped.scale() <= 21) {
            return stripped.toPlainString();
        }
        return String.valueOf(d.doubleValue());
    }

    /** A shallow copy of an object node's properties, in order. */
    static ObjectNode copyOf(ObjectNode source) {
        ObjectNode copy = NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = source.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            copy.set(e.getKey(), e.getValue());
        }
        return copy;
    }
}
