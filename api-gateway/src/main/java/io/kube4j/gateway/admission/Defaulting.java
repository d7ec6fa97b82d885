package io.kube4j.gateway.admission;

import io.kube4j.machinery.object.JsonTree;
import io.kube4j.machinery.quantity.Quantity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;

import static io.kube4j.machinery.object.JsonTree.present;

/**
 * Filling defaults into a JSON tree in place, as kube-apiserver's defaulters do: a field holding
 * JSON {@code null} counts as absent. Also the text of quantity fields and their canonical form.
 * Reads go through {@link io.kube4j.machinery.object.JsonTree}.
 */
final class Defaulting {

    private Defaulting() {}

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
