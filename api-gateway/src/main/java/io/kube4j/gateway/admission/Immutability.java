package io.kube4j.gateway.admission;

import io.kube4j.machinery.object.JsonTree;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Objects;

/** The {@code immutable: true} rule of ConfigMaps and Secrets. */
final class Immutability {

    private Immutability() {}

    static void check(ObjectNode object, ObjectNode old, List<String> fields, Causes causes) {
        if (!Boolean.TRUE.equals(JsonTree.bool(old, "immutable"))) return;
        if (!Boolean.TRUE.equals(JsonTree.bool(object, "immutable"))) {
            causes.forbidden(FieldPath.of("immutable"), "field is immutable when `immutable` is set");
        }
        for (String f : fields) {
            if (!Objects.equals(empty(object.get(f)), empty(old.get(f)))) {
                causes.forbidden(FieldPath.of(f), "field is immutable when `immutable` is set");
            }
        }
    }

    private static Object empty(tools.jackson.databind.JsonNode n) {
        return JsonTree.isEmpty(n) ? null : n;
    }
}
