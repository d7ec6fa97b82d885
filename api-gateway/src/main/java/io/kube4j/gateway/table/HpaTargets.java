package io.kube4j.gateway.table;

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
        List<JsonNode> specs = Json.list(hpa, "spec.metrics");
        List<JsonNode> statuses = Json.list(hpa, "status.currentMetrics");
        if (specs.isEmpty() && Json.present(hpa, "spec.targetCPUUtilizationPercentage")) {
            // An autoscaling/v1 object: its one CPU target reads as a v2 Resource metric.
            String current = Json.present(hpa, "status.currentCPUUtilizationPercentage")
                    ? Json.integer(hpa, "status.currentCPUUtilizationPercentage", 0) + "%" : UNKNOWN;
            return "cpu: " + current + "/" + Json.integer(hpa, "spec.targetCPUUtilizationPercentage", 0) + "%";
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
        return switch (Json.text(spec, "type")) {
            case "External" -> valueOrAverage(Json.at(spec, "external.target"), status, "external");
            case "Object" -> valueOrAverage(Json.at(spec, "object.target"), status, "object");
            case "Pods" -> {
                String current = status != null && Json.present(status, "pods")
                        ? Json.text(status, "pods.current.averageValue") : UNKNOWN;
                yield current + "/" + Json.text(spec, "pods.target.averageValue");
            }
            case "Resource" -> resource(Json.at(spec, "resource"), status, "resource");
            case "ContainerResource" -> resource(Json.at(spec, "containerResource"), status, "containerResource");
            default -> "<unknown type>";
        };
    }

    private static String valueOrAverage(JsonNode target, JsonNode status, String field) {
        JsonNode current = status == null ? null : Json.at(status, field);
        boolean hasStatus = current != null && current.isObject();
        if (Json.present(target, "averageValue")) {
            String c = hasStatus && Json.present(current, "current.averageValue")
                    ? Json.text(current, "current.averageValue") : UNKNOWN;
            return c + "/" + Json.text(target, "averageValue") + " (avg)";
        }
        String c = hasStatus ? Json.text(current, "current.value") : UNKNOWN;
        return c + "/" + Json.text(target, "value");
    }

    private static String resource(JsonNode source, JsonNode status, String field) {
        String name = Json.text(source, "name");
        JsonNode target = Json.at(source, "target");
        JsonNode current = status == null ? null : Json.at(status, field);
        boolean hasStatus = current != null && current.isObject();
        if (Json.present(target, "averageValue")) {
            String c = hasStatus ? Json.text(current, "current.averageValue") : UNKNOWN;
            return name + ": " + c + "/" + Json.text(target, "averageValue");
        }
        String c = hasStatus && Json.present(current, "current.averageUtilization")
                ? Json.integer(current, "current.averageUtilization", 0) + "%" : UNKNOWN;
        String t = Json.present(target, "averageUtilization")
                ? Json.integer(target, "averageUtilization", 0) + "%" : "<auto>";
        return name + ": " + c + "/" + t;
    }
}
