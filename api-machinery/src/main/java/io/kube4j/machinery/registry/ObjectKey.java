package io.kube4j.machinery.registry;

/**
 * The identity of one object of a known type: namespace (empty for cluster-scoped) and name.
 * Its string form {@code namespace/name} (or {@code name}) is the Kafka record key.
 */
public record ObjectKey(String namespace, String name) {

    public ObjectKey {
        namespace = namespace == null ? "" : namespace;
    }

    public static ObjectKey cluster(String name) {
        return new ObjectKey("", name);
    }

    /** Parses {@code namespace/name} or {@code name}. */
    public static ObjectKey parse(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? cluster(key) : new ObjectKey(key.substring(0, slash), key.substring(slash + 1));
    }

    @Override
    public String toString() {
        return namespace.isEmpty() ? name : namespace + "/" + name;
    }
}
