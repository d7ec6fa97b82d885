package io.kube4j.gateway.admission;

import io.kube4j.machinery.quantity.Quantity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Small helpers over Jackson trees for strategies: reading fields of any shape without
 * exceptions, and filling defaults in place. A field holding JSON {@code null} counts as absent,
 * as it does when kube-apiserver decodes into Go structs.
 */
final class Json {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {}

    /** The object under {@code name}, or null when absent or not an object. */
    static ObjectNode obj(JsonNode parent, String name) {
        JsonNode n = parent == null ? null : parent.get(name);
        return n instanceof ObjectNode o ? o : null;
    }

    /** The object under {@code name}, created (replacing null or a non-object) when needed. */
    static ObjectNode ensureObj(ObjectNode parent, String name) {
        JsonNode n = parent.get(name);
        if (n instanceof ObjectNode o) return o;
        return parent.putObject(name);
    }

    /** The array under {@code name}, or an empty list view when absent. */
    static List<JsonNode> array(JsonNode parent, String name) {
        JsonNode n = parent == null ? null : parent.get(name);
        if (n == null || !n.isArray()) return List.of();
        List<JsonNode> items = new ArrayList<>(n.size());
        n.forEach(items::add);
        return items;
    }

    static ArrayNode arrayNode(JsonNode parent, String name) {
        JsonNode n = parent == null ? null : parent.get(name);
        return n instanceof ArrayNode a ? a : null;
    }

    /** Each object element of the array under {@code name}, with its index. */
    static void eachObject(JsonNode parent, String name, BiConsumer<Integer, ObjectNode> action) {
        List<JsonNode> items = array(parent, name);
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) instanceof ObjectNode o) action.accept(i, o);
        }
    }

    /** The string under {@code name}, or null when absent or not a string. */
    static String text(JsonNode parent, String name) {
        JsonNode n = parent == null ? null : parent.get(name);
        return text(n);
    }

    static String text(JsonNode n) {
        return n != null && n.isString() ? n.stringValue() : null;
    }

    /** The string under {@code name}, or "" when absent. */
    static String textOrEmpty(JsonNode parent, String name) {
        String s = text(parent, name);
        return s == null ? "" : s;
    }

    static boolean present(JsonNode parent, String name) {
        JsonNode n = parent == null ? null : parent.get(name);
        return n != null && !n.isNull() && !n.isMissingNode();
    }

    static boolean isEmpty(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() || (n.isContainer() && n.isEmpty())
                || (n.isString() && n.stringValue().isEmpty());
    }

    /** The integral number under {@code name}, or null when absent or not an integral number. */
    static Long integer(JsonNode parent, String name) {
        JsonNode n = parent == null ? null : parent.get(name);
        return n != null && n.isIntegralNumber() && n.canConvertToLong() ? n.longValue() : null;
    }

    static Boolean bool(JsonNode parent, String name) {
        JsonNode n = parent == null ? null : parent.get(name);
        return n != null && n.isBoolean() ? n.booleanValue() : null;
    }

    static void defaultText(ObjectNode o, String name, String value) {
        if (!present(o, name) || (o.get(name).isString() && o.get(name).stringValue().isEmpty())) o.put(name, value);
    }

    /** Puts an int node where the value fits, as parsed JSON has them, so that trees compare equal. */
    static void defaultInt(ObjectNode o, String name, long value) {
        if (present(o, name)) return;
        if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) o.put(name, (int) value);
        else o.put(name, value);
    }

    static void defaultBool(ObjectNode o, String name, boolean value) {
        if (!present(o, name)) o.put(name, value);
    }

    static void defaultObj(ObjectNode o, String name) {
        if (!present(o, name)) o.putObject(name);
    }

    /** A string map (labels, selector matchLabels, data); non-string values are skipped. */
    static Map<String, String> stringMap(JsonNode parent, String name) {
        JsonNode n = parent == null ? null : parent.get(name);
        Map<String, String> map = new LinkedHashMap<>();
        if (n != null && n.isObject()) {
            n.properties().forEach(e -> {
                if (e.getValue().isString()) map.put(e.getKey(), e.getValue().stringValue());
            });
        }
        return map;
    }

    static StringNode string(String s) {
        return NODES.stringNode(s);
    }

    /** A quantity field's text: strings and bare numbers (which Kubernetes accepts) alike. */
    static String quantityText(JsonNode n) {
        if (n == null) return null;
        if (n.isString()) return n.stringValue();
        if (n.isNumber()) return n.numberValue().toString();
        return null;
    }

    /** Rewrites every valid quantity in a resource map to Kubernetes' canonical string form. */
    static void canonicalizeQuantities(JsonNode resourceList) {
        if (!(resourceList instanceof ObjectNode map)) return;
        for (String key : new ArrayList<>(map.propertyNames())) {
            String text = quantityText(map.get(key));
            if (text == null) continue;
            Quantity.canonical(text).ifPresent(c -> map.put(key, c));
        }
    }

    static void canonicalizeQuantity(ObjectNode parent, String name) {
        String text = quantityText(parent.get(name));
        if (text != null) Quantity.canonical(text).ifPresent(c -> parent.put(name, c));
    }
}
