package io.kube4j.controller.endpoints;

import io.kube4j.machinery.object.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Endpoint data as a tree without the differences that mean nothing: null, empty strings, empty
 * lists and empty objects are dropped, so what the gateway echoes back (a port named {@code ""}
 * or unnamed, an absent or empty list) compares equal to what the controller built. Without this
 * a controller would rewrite unchanged objects forever.
 */
final class Canonical {

    private Canonical() {
    }

    static JsonNode of(Object value) {
        return strip(Json.MAPPER.valueToTree(value));
    }

    static String key(Object value) {
        return of(value).toString();
    }

    private static JsonNode strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> drop = new ArrayList<>();
            for (var entry : object.properties()) {
                JsonNode v = strip(entry.getValue());
                if (empty(v)) drop.add(entry.getKey());
                else object.set(entry.getKey(), v);
            }
            drop.forEach(object::remove);
            return object;
        }
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) array.set(i, strip(array.get(i)));
            return array;
        }
        return node;
    }

    private static boolean empty(JsonNode v) {
        return v == null || v.isNull() || (v.isString() && v.asString().isEmpty())
                || (v.isArray() && v.isEmpty()) || (v.isObject() && v.isEmpty());
    }
}
