package io.kube4j.machinery.object;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Lenient reads of the fields of an object held as a JSON tree, for code that validates, defaults or
 * prints objects a client sent: a field that is absent, JSON {@code null} or of another type than
 * asked for reads as absent (null, an empty list or map), never as an exception, as kube-apiserver's
 * decoding into Go structs leaves such a field at its zero value. A {@code null} parent reads as an
 * empty object.
 *
 * <p>Static and side-effect free, except {@link #ensureObject}, which changes the tree it is given.
 */
public final class JsonTree {

    private JsonTree() {}

    /** The object under {@code name}, or null when absent or not an object. */
    public static ObjectNode object(JsonNode parent, String name) {
        return child(parent, name) instanceof ObjectNode o ? o : null;
    }

    /** The object under {@code name}, created (replacing null or a non-object) when needed. */
    public static ObjectNode ensureObject(ObjectNode parent, String name) {
        if (parent.get(name) instanceof ObjectNode o) return o;
        return parent.putObject(name);
    }

    /** The elements of the array under {@code name}, as a copy; empty when absent or not an array. */
    public static List<JsonNode> elements(JsonNode parent, String name) {
        JsonNode n = child(parent, name);
        if (n == null || !n.isArray()) return List.of();
        List<JsonNode> items = new ArrayList<>(n.size());
        n.forEach(items::add);
        return items;
    }

    /** The array under {@code name} itself, or null when absent or not an array. */
    public static ArrayNode arrayNode(JsonNode parent, String name) {
        return child(parent, name) instanceof ArrayNode a ? a : null;
    }

    /** Runs {@code action} on each object element of the array under {@code name}, with its index. */
    public static void eachObject(JsonNode parent, String name, BiConsumer<Integer, ObjectNode> action) {
        List<JsonNode> items = elements(parent, name);
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) instanceof ObjectNode o) action.accept(i, o);
        }
    }

    /** The string under {@code name}, or null when absent or not a string. */
    public static String string(JsonNode parent, String name) {
        return string(child(parent, name));
    }

    /** The node's string, or null when it is absent or not a string. */
    public static String string(JsonNode node) {
        return node != null && node.isString() ? node.stringValue() : null;
    }

    /** The string under {@code name}, or {@code ""} when absent or not a string. */
    public static String stringOrEmpty(JsonNode parent, String name) {
        String s = string(parent, name);
        return s == null ? "" : s;
    }

    /** Whether {@code name} holds a value other than JSON {@code null}. */
    public static boolean present(JsonNode parent, String name) {
        JsonNode n = child(parent, name);
        return n != null && !n.isNull() && !n.isMissingNode();
    }

    /** Whether the node is absent, null, an empty object or array, or an empty string (Go's zero values). */
    public static boolean isEmpty(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() || (node.isContainer() && node.isEmpty())
                || (node.isString() && node.stringValue().isEmpty());
    }

    /** The integral number under {@code name}, or null when absent, not integral or beyond a long. */
    public static Long integer(JsonNode parent, String name) {
        JsonNode n = child(parent, name);
        return n != null && n.isIntegralNumber() && n.canConvertToLong() ? n.longValue() : null;
    }

    /** The boolean under {@code name}, or null when absent or not a boolean. */
    public static Boolean bool(JsonNode parent, String name) {
        JsonNode n = child(parent, name);
        return n != null && n.isBoolean() ? n.booleanValue() : null;
    }

    /** The string entries of the map under {@code name} (labels, selectors, data) in order; other values skipped. */
    public static Map<String, String> stringMap(JsonNode parent, String name) {
        JsonNode n = child(parent, name);
        Map<String, String> map = new LinkedHashMap<>();
        if (n != null && n.isObject()) {
            n.properties().forEach(e -> {
                if (e.getValue().isString()) map.put(e.getKey(), e.getValue().stringValue());
            });
        }
        return map;
    }

    /** The node at a dotted path ({@code "status.podIP"}), or a missing node when any step is absent. */
    public static JsonNode at(JsonNode node, String dottedPath) {
        JsonNode current = node == null ? MissingNode.getInstance() : node;
        for (String part : dottedPath.split("\\.")) {
            current = current.path(part);
        }
        return current;
    }

    private static JsonNode child(JsonNode parent, String name) {
        return parent == null ? null : parent.get(name);
    }
}
