package io.kube4j.gateway.table;

import io.kube4j.machinery.object.JsonTree;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lenient reads from stored objects for printers, by dotted path ({@code "status.podIP"}, through
 * {@link JsonTree#at}). Printers never fail on an object that lacks a field or has a field of an
 * unexpected type: they print what Kubernetes prints for the zero value, so scalars of any type read
 * as their text and absent ones as {@code ""}.
 */
final class Fields {

    private Fields() {}

    /** The text of a scalar at a path; empty when absent, null or not a scalar. */
    static String text(JsonNode node, String dottedPath) {
        return text(JsonTree.at(node, dottedPath));
    }

    static String text(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull() || node.isContainer()) {
            return "";
        }
        return node.isString() ? node.stringValue() : node.asString();
    }

    /** True when the path holds a scalar with a non-empty text. */
    static boolean has(JsonNode node, String dottedPath) {
        return !text(node, dottedPath).isEmpty();
    }

    /** True when the path is present and not null (an object, a list or a scalar). */
    static boolean present(JsonNode node, String dottedPath) {
        JsonNode n = JsonTree.at(node, dottedPath);
        return !n.isMissingNode() && !n.isNull();
    }

    /** The integer at a path, or {@code absent} when missing or not a number. */
    static long integer(JsonNode node, String dottedPath, long absent) {
        JsonNode n = JsonTree.at(node, dottedPath);
        if (n.isNumber()) {
            return n.asLong();
        }
        if (n.isString()) {
            try {
                return Long.parseLong(n.stringValue());
            } catch (NumberFormatException e) {
                return absent;
            }
        }
        return absent;
    }

    static boolean bool(JsonNode node, String dottedPath) {
        JsonNode n = JsonTree.at(node, dottedPath);
        return n.isBoolean() && n.asBoolean();
    }

    /** The elements of the array at a path; empty when absent or not an array. */
    static List<JsonNode> list(JsonNode node, String dottedPath) {
        JsonNode n = JsonTree.at(node, dottedPath);
        List<JsonNode> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(out::add);
        }
        return out;
    }

    /** The number of entries of the object or array at a path. */
    static int size(JsonNode node, String dottedPath) {
        JsonNode n = JsonTree.at(node, dottedPath);
        return n.isContainer() ? n.size() : 0;
    }

    /** A string map (labels, selectors) sorted by key. */
    static Map<String, String> stringMap(JsonNode node, String dottedPath) {
        JsonNode n = JsonTree.at(node, dottedPath);
        Map<String, String> out = new TreeMap<>();
        if (n.isObject()) {
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                out.put(e.getKey(), text(e.getValue()));
            }
        }
        return out;
    }

    /** An int-or-string value as Kubernetes prints it ({@code 2}, {@code 50%}); null when absent. */
    static String intOrString(JsonNode node, String dottedPath) {
        JsonNode n = JsonTree.at(node, dottedPath);
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        return text(n);
    }
}
