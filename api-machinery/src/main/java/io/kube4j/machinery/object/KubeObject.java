package io.kube4j.machinery.object;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accessors for the common parts of an object held as a JSON tree ({@code metadata.*},
 * {@code apiVersion}, {@code kind}). Static and side-effect free except the setters, which change
 * the tree they are given.
 */
public final class KubeObject {

    private static final DateTimeFormatter MICRO_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private KubeObject() {}

    public static ObjectNode metadata(ObjectNode object) {
        JsonNode metadata = object.get("metadata");
        if (metadata instanceof ObjectNode m) return m;
        ObjectNode m = Json.object();
        object.set("metadata", m);
        return m;
    }

    public static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asString();
    }

    public static String name(ObjectNode object) {
        return text(object.get("metadata"), "name");
    }

    public static String namespace(ObjectNode object) {
        return text(object.get("metadata"), "namespace");
    }

    public static String uid(ObjectNode object) {
        return text(object.get("metadata"), "uid");
    }

    public static String resourceVersion(ObjectNode object) {
        return text(object.get("metadata"), "resourceVersion");
    }

    public static void setResourceVersion(ObjectNode object, long revision) {
        metadata(object).put("resourceVersion", Long.toString(revision));
    }

    public static boolean isDeleting(ObjectNode object) {
        return text(object.get("metadata"), "deletionTimestamp") != null;
    }

    /** Whether the object's {@code status.conditions} has a condition of {@code type} whose status is {@code True}. */
    public static boolean conditionTrue(JsonNode object, String type) {
        for (JsonNode condition : object.path("status").path("conditions")) {
            if (type.equals(condition.path("type").asString(""))) return "True".equals(condition.path("status").asString(""));
        }
        return false;
    }

    public static Map<String, String> labels(JsonNode object) {
        return stringMap(object.path("metadata").path("labels"));
    }

    public static Map<String, String> annotations(JsonNode object) {
        return stringMap(object.path("metadata").path("annotations"));
    }

    public static Map<String, String> stringMap(JsonNode node) {
        if (!(node instanceof ObjectNode map)) return Map.of();
        Map<String, String> result = new LinkedHashMap<>();
        map.properties().forEach(e -> result.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asString() : e.getValue().toString()));
        return result;
    }

    public static List<String> finalizers(ObjectNode object) {
        JsonNode finalizers = object.path("metadata").path("finalizers");
        if (!(finalizers instanceof ArrayNode array)) return List.of();
        return array.valueStream().map(JsonNode::asString).toList();
    }

    /** Adds {@code finalizer} to {@code metadata.finalizers} unless it is there; whether it was added. */
    public static boolean addFinalizer(ObjectNode object, String finalizer) {
        if (finalizers(object).contains(finalizer)) return false;
        ObjectNode meta = metadata(object);
        (meta.get("finalizers") instanceof ArrayNode array ? array : meta.putArray("finalizers")).add(finalizer);
        return true;
    }

    /** Kubernetes' timestamp form: RFC 3339 in UTC with whole seconds. */
    public static String timestamp(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** Kubernetes' MicroTime form: RFC 3339 in UTC with microseconds. */
    public static String microTimestamp(Instant instant) {
        return MICRO_TIME.format(instant.truncatedTo(ChronoUnit.MICROS));
    }

    /**
     * Parses a {@code metav1.Time} or {@code MicroTime}: RFC 3339 with any offset and an optional fraction.
     *
     * @throws DateTimeParseException when the text is not such a timestamp
     */
    public static Instant parseTimestamp(String text) {
        return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    }

    /** The object with top-level and metadata fields in Kubernetes' order; other fields keep theirs. */
    public static ObjectNode canonicalOrder(ObjectNode object) {
        ObjectNode ordered = Json.object();
        for (String first : List.of("apiVersion", "kind", "metadata")) {
            if (object.has(first)) ordered.set(first, object.get(first));
        }
        object.properties().forEach(e -> {
            if (!ordered.has(e.getKey())) ordered.set(e.getKey(), e.getValue());
        });
        if (ordered.get("metadata") instanceof ObjectNode metadata) {
            ObjectNode m = Json.object();
            for (String field : METADATA_ORDER) {
                if (metadata.has(field)) m.set(field, metadata.get(field));
            }
            metadata.properties().forEach(e -> {
                if (!m.has(e.getKey())) m.set(e.getKey(), e.getValue());
            });
            ordered.set("metadata", m);
        }
        return ordered;
    }

    private static final List<String> METADATA_ORDER = List.of("name", "generateName", "namespace", "uid",
            "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
            "labels", "annotations", "ownerReferences", "finalizers", "managedFields");
}
