package io.kube4j.gateway.metrics;

import io.kube4j.machinery.object.Json;
import io.kube4j.machinery.object.KubeObject;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * NodeMetrics and PodMetrics as metrics-server writes them, built from a stored Node or Pod and
 * the value its agent wrote (see {@link io.kube4j.machinery.ephemeral.EphemeralKeys}): the
 * object's name, namespace and labels; {@code creationTimestamp} the time of the answer; the
 * sample's {@code timestamp}, {@code window} and usage. Pure functions; a value that does not
 * parse, or lacks its usage, yields nothing (the object is listed as having no metrics).
 */
public final class MetricsDocuments {

    public static final String GROUP = "metrics.k8s.io";
    public static final String API_VERSION = GROUP + "/v1beta1";

    private MetricsDocuments() {
    }

    /** The NodeMetrics of {@code node} from its stored value. */
    public static Optional<ObjectNode> nodeMetrics(ObjectNode node, String value, Instant now) {
        Optional<JsonNode> sample = parse(value);
        if (sample.isEmpty() || !sample.get().path("usage").isObject()) return Optional.empty();
        ObjectNode metrics = header("NodeMetrics", node, now);
        copySampleTime(sample.get(), metrics);
        metrics.set("usage", sample.get().get("usage"));
        return Optional.of(metrics);
    }

    /** The PodMetrics of {@code pod} from its stored value. */
    public static Optional<ObjectNode> podMetrics(ObjectNode pod, String value, Instant now) {
        Optional<JsonNode> sample = parse(value);
        if (sample.isEmpty() || !sample.get().path("containers").isArray()) return Optional.empty();
        ObjectNode metrics = header("PodMetrics", pod, now);
        copySampleTime(sample.get(), metrics);
        ArrayNode containers = metrics.putArray("containers");
        for (JsonNode container : sample.get().get("containers")) {
            if (!container.path("name").isString() || !container.path("usage").isObject()) continue;
            ObjectNode c = containers.addObject();
            c.put("name", container.get("name").asString());
            c.set("usage", container.get("usage"));
        }
        return Optional.of(metrics);
    }

    /** A {@code NodeMetricsList} or {@code PodMetricsList}. */
    public static ObjectNode list(String kind, List<ObjectNode> items) {
        ObjectNode list = Json.object();
        list.put("kind", kind + "List");
        list.put("apiVersion", API_VERSION);
        list.putObject("metadata");
        ArrayNode array = list.putArray("items");
        items.forEach(array::add);
        return list;
    }

    private static ObjectNode header(String kind, ObjectNode object, Instant now) {
        ObjectNode metrics = Json.object();
        metrics.put("kind", kind);
        metrics.put("apiVersion", API_VERSION);
        ObjectNode meta = metrics.putObject("metadata");
        meta.put("name", KubeObject.name(object));
        String namespace = KubeObject.namespace(object);
        if (namespace != null && !namespace.isEmpty()) meta.put("namespace", namespace);
        meta.put("creationTimestamp", KubeObject.timestamp(now));
        JsonNode labels = object.path("metadata").get("labels");
        if (labels != null && labels.isObject() && !labels.isEmpty()) meta.set("labels", labels.deepCopy());
        return metrics;
    }

    private static void copySampleTime(JsonNode sample, ObjectNode metrics) {
        if (sample.path("timestamp").isString()) metrics.put("timestamp", sample.get("timestamp").asString());
        if (sample.path("window").isString()) metrics.put("window", sample.get("window").asString());
    }

    private static Optional<JsonNode> parse(String value) {
        if (value == null || value.isEmpty()) return Optional.empty();
        try {
            JsonNode sample = Json.MAPPER.readTree(value);
            return sample.isObject() ? Optional.of(sample) : Optional.empty();
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }
}
