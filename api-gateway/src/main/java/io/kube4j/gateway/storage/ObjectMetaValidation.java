package io.kube4j.gateway.storage;

import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.KubeObject;
import io.kube4j.machinery.registry.ResourceType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Validation of the metadata every kind shares: names, labels, annotations, finalizers, owner references. */
final class ObjectMetaValidation {

    private ObjectMetaValidation() {}

    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

    /** Kinds whose names must be DNS-1123 labels rather than subdomains. */
    private static final Set<String> LABEL_NAMED = Set.of("/Namespace", "/Service", "/ReplicationController",
            "apps/Deployment", "apps/StatefulSet", "batch/CronJob");

    /** Kinds whose names only need to be valid path segments (RBAC names may contain ':'). */
    private static final Set<String> PATH_SEGMENT_NAMED = Set.of("rbac.authorization.k8s.io/Role",
            "rbac.authorization.k8s.io/ClusterRole", "rbac.authorization.k8s.io/RoleBinding",
            "rbac.authorization.k8s.io/ClusterRoleBinding", "/Node", "/Event");

    static final String LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
            + "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
            + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    static final String SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
            + "'-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
            + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

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
                    if (!isQualifiedName(f)) {
                        causes.add(StatusCause.invalid("metadata.finalizers[" + i + "]", f,
                                "name part must consist of alphanumeric characters, '-', '_' or '.'"));
                    }
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
        if (LABEL_NAMED.contains(key)) {
            if (name.length() > 63) return List.of(StatusCause.invalid("metadata.name", name, "must be no more than 63 characters"));
            if (!DNS1123_LABEL.matcher(name).matches()) return List.of(StatusCause.invalid("metadata.name", name, LABEL_MSG));
            return List.of();
        }
        if (name.length() > 253) return List.of(StatusCause.invalid("metadata.name", name, "must be no more than 253 characters"));
        if (!DNS1123_SUBDOMAIN.matcher(name).matches()) return List.of(StatusCause.invalid("metadata.name", name, SUBDOMAIN_MSG));
        return List.of();
    }

    private static void labels(JsonNode labels, String field, List<StatusCause> causes) {
        if (labels.isMissingNode() || labels.isNull()) return;
        if (!labels.isObject()) {
            causes.add(StatusCause.invalid(field, labels.toString(), "must be a map of strings"));
            return;
        }
        for (Map.Entry<String, JsonNode> e : labels.properties()) {
            if (!isQualifiedName(e.getKey())) {
                causes.add(StatusCause.invalid(field, e.getKey(), "name part must consist of alphanumeric characters, "
                        + "'-', '_' or '.', and must start and end with an alphanumeric character"));
            }
            if (!e.getValue().isString()) {
                causes.add(StatusCause.invalid(field + "." + e.getKey(), e.getValue().toString(), "must be a string"));
                continue;
            }
            String value = e.getValue().asString();
            if (value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
                causes.add(StatusCause.invalid(field, value, "a valid label must be an empty string or consist of "
                        + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"));
            }
        }
    }

    private static void annotations(JsonNode annotations, List<StatusCause> causes) {
        if (annotations.isMissingNode() || annotations.isNull()) return;
        if (!annotations.isObject()) {
            causes.add(StatusCause.invalid("metadata.annotations", annotations.toString(), "must be a map of strings"));
            return;
        }
        long total = 0;
        for (Map.Entry<String, JsonNode> e : annotations.properties()) {
            if (!isQualifiedName(e.getKey())) {
                causes.add(StatusCause.invalid("metadata.annotations", e.getKey(), "name part must consist of "
                        + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"));
            }
            if (!e.getValue().isString()) {
                causes.add(StatusCause.invalid("metadata.annotations." + e.getKey(), e.getValue().toString(), "must be a string"));
            }
            total += e.getKey().length() + e.getValue().asString("").length();
        }
        if (total > 256 * 1024) {
            causes.add(new StatusCause("FieldValueTooLong", "Too long: must have at most 262144 bytes", "metadata.annotations"));
        }
    }

    /** A Kubernetes qualified name: optional DNS-subdomain prefix and '/', then a name of at most 63 characters. */
    static boolean isQualifiedName(String value) {
        String name = value;
        int slash = value.indexOf('/');
        if (slash >= 0) {
            String prefix = value.substring(0, slash);
            name = value.substring(slash + 1);
            if (prefix.isEmpty() || prefix.length() > 253 || !DNS1123_SUBDOMAIN.matcher(prefix).matches()) return false;
        }
        return !name.isEmpty() && name.length() <= 63 && QUALIFIED_NAME.matcher(name).matches();
    }
}
