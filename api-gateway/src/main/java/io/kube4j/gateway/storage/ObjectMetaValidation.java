package io.kube4j.gateway.storage;

import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.KubeObject;
import io.kube4j.machinery.registry.ResourceType;
import io.kube4j.machinery.validation.NameValidation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Validation of the metadata every kind shares: names, labels, annotations, finalizers, owner references. */
final class ObjectMetaValidation {

    private ObjectMetaValidation() {}

    /** Kinds whose names must be DNS-1123 labels rather than subdomains. */
    private static final Set<String> LABEL_NAMED = Set.of("/Namespace", "/Service", "/ReplicationController",
            "apps/Deployment", "apps/StatefulSet", "batch/CronJob");

    /** Kinds whose names only need to be valid path segments (RBAC names may contain ':'). */
    private static final Set<String> PATH_SEGMENT_NAMED = Set.of("rbac.authorization.k8s.io/Role",
            "rbac.authorization.k8s.io/ClusterRole", "rbac.authorization.k8s.io/RoleBinding",
            "rbac.authorization.k8s.io/ClusterRoleBinding", "/Node", "/Event");

    static List<StatusCause> validate(ResourceType type, ObjectNode object, ObjectNode old) {
        List<StatusCause> causes = new ArrayList<>();
        ObjectNode meta = KubeObject.metadata(object);
        String name = KubeObject.text(meta, "name");
        if (old == null && name != null) causes.addAll(validateName(type, name));
        labels(meta.path("labels"), "metadata.labels", causes);
        annotations(meta.path("annotations"), causes);
        JsonNode finalizers = meta.path("finalizers");
        if (!finalizers.isMissingNode() && !finalizers.isNull()) {
            if (!finalizers.isArray()) {
                causes.add(StatusCause.invalid("metadata.finalizers", finalizers.toString(), "must be a list of strings"));
            } else {
                for (int i = 0; i < finalizers.size(); i++) {
                    String f = finalizers.get(i).asString("");
                    String field = "metadata.finalizers[" + i + "]";
                    NameValidation.isQualifiedName(f).forEach(m -> causes.add(StatusCause.invalid(field, f, m)));
                }
            }
        }
        JsonNode owners = meta.path("ownerReferences");
        if (owners.isArray()) {
            for (int i = 0; i < owners.size(); i++) {
                JsonNode ref = owners.get(i);
                for (String field : List.of("apiVersion", "kind", "name", "uid")) {
                    if (ref.path(field).asString("").isEmpty()) {
                        causes.add(StatusCause.required("metadata.ownerReferences[" + i + "]." + field));
                    }
                }
            }
        }
        return causes;
    }

    static List<StatusCause> validateName(ResourceType type, String name) {
        String key = type.group() + "/" + type.kind();
        if (PATH_SEGMENT_NAMED.contains(key)) {
            if (name.equals(".") || name.equals("..") || name.contains("/") || name.contains("%")) {
                return List.of(StatusCause.invalid("metadata.name", name, "may not be '.' or '..' and may not contain '/' or '%'"));
            }
            return List.of();
        }
        if (LABEL_NAMED.contains(key)) return NameValidation.validateDns1123LabelName(name, "metadata.name");
        return NameValidation.validateSubdomainName(name, "metadata.name");
    }

    private static void labels(JsonNode labels, String field, List<StatusCause> causes) {
        if (labels.isMissingNode() || labels.isNull()) return;
        if (!labels.isObject()) {
            causes.add(StatusCause.invalid(field, labels.toString(), "must be a map of strings"));
            return;
        }
        for (Map.Entry<String, JsonNode> e : labels.properties()) {
            causes.addAll(NameValidation.validateLabelName(e.getKey(), field));
            if (!e.getValue().isString()) {
                causes.add(StatusCause.invalid(field + "." + e.getKey(), e.getValue().toString(), "must be a string"));
                continue;
            }
            String value = e.getValue().asString();
            NameValidation.isValidLabelValue(value).forEach(m -> causes.add(StatusCause.invalid(field, value, m)));
        }
    }

    private static void annotations(JsonNode annotations, List<StatusCause> causes) {
        if (annotations.isMissingNode() || annotations.isNull()) return;
        if (!annotations.isObject()) {
            causes.add(StatusCause.invalid("metadata.annotations", annotations.toString(), "must be a map of strings"));
            return;
        }
        Map<String, String> strings = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : annotations.properties()) {
            if (!e.getValue().isString()) {
                causes.add(StatusCause.invalid("metadata.annotations." + e.getKey(), e.getValue().toString(), "must be a string"));
            }
            strings.put(e.getKey(), e.getValue().asString(""));
        }
        causes.addAll(NameValidation.validateAnnotations(strings, "metadata.annotations"));
    }
}
