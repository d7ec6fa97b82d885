package io.kube4j.machinery.patch;

import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON Merge Patch (RFC 7386), the body of {@code application/merge-patch+json} PATCH requests.
 *
 * <p>Pure: neither argument is modified; the result shares no node with them. {@link #merge} is the RFC's
 * algorithm for any two JSON values. {@link #apply} is what kube-apiserver does with a PATCH body: an object patch
 * merged into the object; any other patch (null, a scalar, a list) is refused with 400 {@code Invalid JSON Patch},
 * since it could only replace the whole object with something that is not one.
 */
public final class MergePatch {

    private MergePatch() {}

    /** Merges {@code patch} into the object {@code target}; throws 400 when {@code patch} is not an object. */
    public static JsonNode apply(JsonNode target, JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            throw PatchErrors.badRequest("Invalid JSON Patch");
        }
        return merge(target, patch);
    }

    /** RFC 7386 section 2: MergePatch(Target, Patch). */
    public static JsonNode merge(JsonNode target, JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            return patch == null ? JsonValues.NODES.nullNode() : patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject()
                ? (ObjectNode) target.deepCopy() : JsonValues.NODES.objectNode();
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            if (e.getValue().isNull()) {
                result.remove(e.getKey());
            } else {
                result.set(e.getKey(), merge(result.get(e.getKey()), e.getValue()));
            }
        }
        return result;
    }
}
