package io.kube4j.controller.deployment;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.kube4j.machinery.object.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The {@code pod-template-hash} of a Deployment's template, as kube computes it in shape: a
 * 32-bit FNV-1a hash of the template, followed by the collision count when there is one, printed
 * in decimal and mapped onto kube's "safe" alphabet (no vowels, no look-alike digits), e.g.
 * {@code 7d9f5c8b6}. The hashed text is the template's canonical JSON (keys sorted, empty values
 * dropped) rather than Go's printed struct, so the values differ from kube's for the same template;
 * nothing outside the controller recomputes them — kubectl reads the label.
 */
public final class TemplateHash {

    private static final String SAFE = "bcdfghjklmnpqrstvwxz2456789";

    private TemplateHash() {}

    public static String of(PodTemplateSpec template, Integer collisionCount) {
        int hash = 0x811c9dc5;
        byte[] text = canonical(Json.MAPPER.valueToTree(template)).toString().getBytes(StandardCharsets.UTF_8);
        hash = fnv(hash, text);
        if (collisionCount != null) hash = fnv(hash, Integer.toString(collisionCount).getBytes(StandardCharsets.US_ASCII));
        return safeEncode(Long.toString(Integer.toUnsignedLong(hash)));
    }

    private static int fnv(int hash, byte[] bytes) {
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        return hash;
    }

    static String safeEncode(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) out.append(SAFE.charAt(text.charAt(i) % SAFE.length()));
        return out.toString();
    }

    /** Keys sorted, nulls and empty objects and arrays dropped: two templates kube deems equal print alike. */
    static JsonNode canonical(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode out = Json.object();
            List<String> names = new ArrayList<>(object.propertyNames());
            Collections.sort(names);
            for (String name : names) {
                JsonNode value = canonical(object.get(name));
                if (value == null || value.isNull() || (value.isContainer() && value.isEmpty())) continue;
                out.set(name, value);
            }
            return out;
        }
        if (node != null && node.isArray()) {
            var out = Json.NODES.arrayNode();
            for (JsonNode item : node) out.add(canonical(item));
            return out;
        }
        return node;
    }
}
