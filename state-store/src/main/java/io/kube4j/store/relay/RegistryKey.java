package io.kube4j.store.relay;

import io.kube4j.machinery.registry.ResourceType;

import java.util.Optional;

/**
 * Where an etcd key under {@code /registry/} belongs: {@code /registry/{group}/{resource}/{namespace}/{name}}
 * for namespaced objects, {@code /registry/{group}/{resource}/{name}} for cluster-scoped ones. The
 * relay sees only keys, so it tells the two apart by the number of segments.
 *
 * @param group     the storage group ({@code core} for the core group)
 * @param resource  the plural resource name
 * @param namespace the namespace, or {@code null} for a cluster-scoped object
 * @param name      the object's name
 */
public record RegistryKey(String group, String resource, String namespace, String name) {

    /** Every object lives under this prefix; keys outside it are never relayed. */
    public static final String PREFIX = "/registry/";

    /** The key's parts, or empty for a key outside {@code /registry/} or of any other shape. */
    public static Optional<RegistryKey> parse(String key) {
        if (key == null || !key.startsWith(PREFIX)) return Optional.empty();
        String[] parts = key.substring(PREFIX.length()).split("/", -1);
        for (String part : parts) {
            if (part.isEmpty()) return Optional.empty();
        }
        return switch (parts.length) {
            case 3 -> Optional.of(new RegistryKey(parts[0], parts[1], null, parts[2]));
            case 4 -> Optional.of(new RegistryKey(parts[0], parts[1], parts[2], parts[3]));
            default -> Optional.empty();
        };
    }

    /** The Kafka topic of this resource, shared with every consumer through {@link ResourceType#topicFor}. */
    public String topic() {
        return ResourceType.topicFor(group, resource);
    }

    /** The Kafka record key: {@code namespace/name}, or {@code name} for a cluster-scoped object. */
    public String recordKey() {
        return namespace == null ? name : namespace + "/" + name;
    }
}
