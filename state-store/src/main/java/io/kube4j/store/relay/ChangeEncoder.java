package io.kube4j.store.relay;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a committed change into the record the relay publishes: the Kubernetes watch event
 * {@code {"type":"ADDED"|"MODIFIED"|"DELETED","object":{…}}} on the resource's topic. As
 * kube-apiserver does, the object's {@code metadata.resourceVersion} is the change's revision, and
 * a deleted object is its last stored state with the deleting revision as resourceVersion.
 *
 * <p>A pure function: thread-safe, no I/O. A change that cannot be relayed is an {@link Outcome.Skip}
 * value with the reason, not an exception.
 */
public final class ChangeEncoder {

    private final JsonMapper json;

    public ChangeEncoder(JsonMapper json) {
        this.json = json;
    }

    public ChangeEncoder() {
        this(JsonMapper.builder().build());
    }

    /** What becomes of one change. */
    public sealed interface Outcome {
        /** Publish this record. */
        record Publish(RelayRecord record) implements Outcome {
        }

        /** Nothing to publish; {@code reason} is a short metric tag, {@code detail} for the log. */
        record Skip(String reason, String detail) implements Outcome {
        }
    }

    public Outcome encode(Change change) {
        var parsed = RegistryKey.parse(change.key());
        if (parsed.isEmpty()) {
            return new Outcome.Skip("unrecognized-key", "key " + change.key() + " is not /registry/{group}/{resource}/[{namespace}/]{name}");
        }
        RegistryKey key = parsed.get();
        String type;
        ObjectNode object;
        if (change.deleted()) {
            type = "DELETED";
            object = change.previousValue() == null || change.previousValue().length == 0
                    ? skeleton(key)
                    : parseObject(change.previousValue());
        } else {
            type = change.created() ? "ADDED" : "MODIFIED";
            object = parseObject(change.value());
        }
        if (object == null) {
            return new Outcome.Skip("not-json-object", "value of " + change.key() + " at revision " + change.revision() + " is not a JSON object");
        }
        metadata(object).put("resourceVersion", Long.toString(change.revision()));
        ObjectNode event = json.createObjectNode();
        event.put("type", type);
        event.set("object", object);
        return new Outcome.Publish(new RelayRecord(key.topic(), key.recordKey(), json.writeValueAsBytes(event), change.revision()));
    }

    private ObjectNode parseObject(byte[] value) {
        if (value == null || value.length == 0) return null;
        try {
            JsonNode node = json.readTree(value);
            return node instanceof ObjectNode object ? object : null;
        } catch (JacksonException notJson) {
            return null;
        }
    }

    /** A deleted object whose last state etcd no longer has (its revision was compacted): its identity only. */
    private ObjectNode skeleton(RegistryKey key) {
        ObjectNode object = json.createObjectNode();
        ObjectNode metadata = object.putObject("metadata");
        metadata.put("name", key.name());
        if (key.namespace() != null) metadata.put("namespace", key.namespace());
        return object;
    }

    private static ObjectNode metadata(ObjectNode object) {
        JsonNode metadata = object.get("metadata");
        if (metadata instanceof ObjectNode existing) return existing;
        return object.putObject("metadata");
    }
}
