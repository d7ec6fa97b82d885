package io.kube4j.gateway.table;

import io.kube4j.machinery.object.JsonTree;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The TARGETS column of a HorizontalPodAutoscaler ({@code autoscaling/v2}): one
 * {@code current/target} entry per metric, at most two, then {@code + N more...}. Example:
 * {@code cpu: 45%/80%, memory: <unknown>/500Mi}.
 */
final class HpaTargets {

    private static final int MAX = 2;
    private static final String UNKNOWN = "<unknown>";

    private HpaTargets() {}

    static String format(JsonNode hpa) {
        List<JsonNode> specs = Fields.list(hpa, "spec.metrics");
        List<JsonNode> statuses = Fields.list(hpa, "status.currentMetrics");
        if (specs.isEmpty() && Fields.present(hpa, "spec.targetCPUUtilizationPercentage")) {
            // An autoscaling/v1 object: its one CPU target reads as a v2 Resource metric.
            String current = Fields.present(hpa, "status.currentCPUUtilizationPercentage")
                    ? Fields.integer(hpa, "status.currentCPUUtilizationPercentage", 0) + "%" : UNKNOWN;
            return "cpu: " + current + "/" + Fields.integer(hpa, "spec.targetCPUUtilizationPercentage", 0) + "%";
        }
        if (specs.isEmpty()) {
            return Selectors.NONE;
        }
        List<String> list = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            JsonNode spec = specs.get(i);
            JsonNode status = i < statuses.size() ? statuses.get(i) : null;
            list.add(entry(spec, status));
        }
        int count = list.size();
        if (count > MAX) {
            return String.join(", ", list.subList(0, MAX)) + " + " + (count - MAX) + " more...";
        }
        return String.join(", ", list);
    }

    private static String entry(JsonNode spec, JsonNode status) {
        return switch (Fields.text(spec, "type")) {
            case "External" -> valueOrAverage(JsonTree.at(spec, "external.target"), status, "external");
            case "Object" -> valueOrAverage(JsonTree.at(spec, "object.target"), status, "object");
            case "Pods" -> {
                String current = status != null && Fields.present(status, "pods")
                        ? quantity(status, "pods.current.averageValue") : UNKNOWN;
                yield current + "/" + quantity(spec, "pods.target.averageValue");
            }
            case "Resource" -> resource(JsonTree.at(spec, "resource"), status, "resource");
            case "ContainerResource" -> resource(JsonTree.at(spec, "containerResource"), status, "containerResource");
            default -> "<unknown type>";
        };
    }

    private static String valueOrAverage(JsonNode target, JsonNode status, String field) {
        JsonNode current = status == null ? null : JsonTree.at(status, field);
        boolean hasStatus = current != null && current.isObject();
        if (Fields.present(target, "averageValue")) {
            String c = hasStatus && Fields.present(current, "current.averageValue")
                    ? quantity(current, "current.averageValue") : UNKNOWN;
            return c + "/" + quantity(target, "averageValue") + " (avg)";
        }
        String c = hasStatus ? quantity(current, "current.value") : UNKNOWN;
        return c + "/" + quantity(target, "value");
    }

    /** A quantity as Kubernetes prints it; {@code 0} when absent, like a zero quantity. */
    private static String quantity(JsonNode node, String path) {
        return ClusterPrinters.quantity(JsonTree.at(node, path));
    }

    private static String resource(JsonNode source, JsonNode status, String field) {
        String name = Fields.text(source, "name");
        JsonNode target = JsonTree.at(source, "target");
        JsonNode current = status == null ? null : JsonTree.at(status, field);
        boolean hasStatus = current != null && current.isObject();
        if (Fields.present(target, "averageValue")) {
            String c = hasStatus ? quantity(current, "current.averageValue") : UNKNOWN;
            return name + ": " + c + "/" + quantity(target, "averageValue");
        }
        String c = hasStatus && Fields.present(current, "current.averageUtilization")
                ? Fields.integer(current, "current.averageUtilization", 0) + "%" : UNKNOWN;
        String t = Fields.present(target, "averageUtilization")
                ? Fields.integer(target, "averageUtilization", 0) + "%" : "<auto>";
        return name + ": " + c + "/" + t;
    }
}
