package io.kube4j.gateway.conversion;

import io.kube4j.machinery.object.Json;
import io.kube4j.machinery.object.KubeObject;
import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.machinery.registry.ResourceType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * Built-in kinds served in more than one version are stored in one of them (the storage version)
 * and converted on the way in and out, as kube-apiserver does. Pure functions on JSON trees; the
 * arguments are never changed.
 *
 * <p>Today: autoscaling/v1 HorizontalPodAutoscaler ({@code kubectl autoscale}) over the stored
 * autoscaling/v2 form. v1 carries only a CPU utilisation target; converting a v2 object to v1
 * keeps that and drops other metrics and {@code behavior}, and a v1 write is defaulted again as v2.
 */
public final class VersionConversions {

    private static final Map<ResourceType, ResourceType> STORED_AS = Map.of(
            BuiltInTypes.HORIZONTAL_POD_AUTOSCALER_V1, BuiltInTypes.HORIZONTAL_POD_AUTOSCALER);

    private VersionConversions() {}

    /** The type objects of {@code served} are stored as; {@code served} itself for most kinds. */
    public static ResourceType storageType(ResourceType served) {
        return STORED_AS.getOrDefault(served, served);
    }

    /** Whether objects of {@code served} differ from their stored form. */
    public static boolean converts(ResourceType served) {
        return STORED_AS.containsKey(served);
    }

    /** A client's object of {@code served} in its stored form. */
    public static ObjectNode toStorage(ResourceType served, ObjectNode object) {
        if (!converts(served)) return object;
        ObjectNode v2 = object.deepCopy();
        v2.put("apiVersion", storageType(served).apiVersion());
        if (v2.get("spec") instanceof ObjectNode spec) {
            JsonNode target = spec.remove("targetCPUUtilizationPercentage");
            if (target != null && !target.isNull()) {
                ObjectNode metric = spec.putArray("metrics").addObject();
                metric.put("type", "Resource");
                ObjectNode resource = metric.putObject("resource");
                resource.put("name", "cpu");
                ObjectNode t = resource.putObject("target");
                t.put("type", "Utilization");
                t.set("averageUtilization", target);
            }
        }
        if (v2.get("status") instanceof ObjectNode status) {
            JsonNode current = status.remove("currentCPUUtilizationPercentage");
            if (current != null && !current.isNull()) {
                ObjectNode metric = status.putArray("currentMetrics").addObject();
                metric.put("type", "Resource");
                ObjectNode resource = metric.putObject("resource");
                resource.put("name", "cpu");
                resource.putObject("current").set("averageUtilization", current);
            }
        }
        return v2;
    }

    /** A stored object as a client of {@code served} sees it. */
    public static ObjectNode fromStorage(ResourceType served, ObjectNode stored) {
        if (!converts(served)) return stored;
        ObjectNode v1 = Json.object();
        v1.put("apiVersion", served.apiVersion());
        v1.put("kind", served.kind());
        if (stored.has("metadata")) v1.set("metadata", stored.get("metadata").deepCopy());
        ObjectNode spec = v1.putObject("spec");
        JsonNode from = stored.path("spec");
        for (String field : new String[]{"scaleTargetRef", "minReplicas", "maxReplicas"}) {
            if (from.has(field)) spec.set(field, from.get(field).deepCopy());
        }
        JsonNode cpu = cpuMetric(from.path("metrics"), "target");
        if (cpu != null && "Utilization".equals(cpu.path("type").asString(""))) {
            spec.set("targetCPUUtilizationPercentage", cpu.get("averageUtilization"));
        }
        if (stored.get("status") instanceof ObjectNode status) {
            ObjectNode out = v1.putObject("status");
            for (String field : new String[]{"observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas"}) {
                if (status.has(field)) out.set(field, status.get(field).deepCopy());
            }
            JsonNode current = cpuMetric(status.path("currentMetrics"), "current");
            if (current != null && current.has("averageUtilization")) {
                out.set("currentCPUUtilizationPercentage", current.get("averageUtilization"));
            }
        }
        KubeObject.metadata(v1);
        return v1;
    }

    /** The {@code target} or {@code current} of the CPU resource metric in a v2 metrics list, or null. */
    private static JsonNode cpuMetric(JsonNode metrics, String part) {
        if (!(metrics instanceof ArrayNode list)) return null;
        for (JsonNode metric : list) {
            if ("Resource".equals(metric.path("type").asString("")) && "cpu".equals(metric.path("resource").path("name").asString(""))) {
                return metric.path("resource").path(part);
            }
        }
        return null;
    }
}
