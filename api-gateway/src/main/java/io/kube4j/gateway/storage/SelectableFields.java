package io.kube4j.gateway.storage;

import io.kube4j.machinery.object.JsonTree;
import io.kube4j.machinery.registry.ResourceType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields each kind can be selected by with {@code fieldSelector}, as kube-apiserver supports
 * them, and how to read them from an object. Every kind supports {@code metadata.name} and
 * {@code metadata.namespace}.
 */
public final class SelectableFields {

    private SelectableFields() {}

    private static final Set<String> COMMON = Set.of("metadata.name", "metadata.namespace");

    private static final Map<String, Set<String>> BY_KIND = Map.ofEntries(
            Map.entry("/Pod", Set.of("spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
                    "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP",
                    "status.podIPs", "status.nominatedNodeName")),
            Map.entry("/Event", Set.of("involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                    "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
                    "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type")),
            Map.entry("/Secret", Set.of("type")),
            Map.entry("/Node", Set.of("spec.unschedulable")),
            Map.entry("/Namespace", Set.of("status.phase")),
            Map.entry("/ReplicationController", Set.of("status.replicas")),
            Map.entry("apps/ReplicaSet", Set.of("status.replicas")),
            Map.entry("batch/Job", Set.of("status.successful")),
            Map.entry("certificates.k8s.io/CertificateSigningRequest", Set.of("spec.signerName")));

    /** Whether {@code field} may be used in a field selector on {@code type}. */
    public static boolean supports(ResourceType type, String field) {
        if (COMMON.contains(field)) return true;
        return BY_KIND.getOrDefault(type.group() + "/" + type.kind(), Set.of()).contains(field);
    }

    /** The fields a kind supports, for error messages and discovery. */
    public static List<String> of(ResourceType type) {
        return java.util.stream.Stream.concat(COMMON.stream(),
                BY_KIND.getOrDefault(type.group() + "/" + type.kind(), Set.of()).stream()).sorted().toList();
    }

    /** The field's value as a selector compares it: absent fields are the empty string. */
    public static String value(ObjectNode object, String field) {
        if (field.equals("source")) {
            return object.path("source").path("component").asString("");
        }
        if (field.equals("status.podIPs")) {
            JsonNode ips = object.path("status").path("podIPs");
            return ips.isArray() && !ips.isEmpty() ? ips.get(0).path("ip").asString("") : "";
        }
        JsonNode node = JsonTree.at(object, field);
        if (node.isMissingNode() || node.isNull()) {
            return field.equals("spec.unschedulable") || field.equals("spec.hostNetwork") ? "false" : "";
        }
        return node.isValueNode() ? node.asString() : node.toString();
    }
}
