package io.kube4j.store.relay;

/**
 * One record for Kafka: a watch event for one object, and the etcd revision it carries.
 *
 * @param topic    the resource's topic
 * @param key      {@code namespace/name} or {@code name}
 * @param value    the watch event's JSON, {@code {"type":…,"object":…}}
 * @param revision the etcd revision, also the object's {@code resourceVersion} in the value
 */
public record RelayRecord(String topic, String key, byte[] value, long revision) {

    /** The header that carries the revision as a decimal string, so consumers can skip what they have seen without parsing. */
    public static final String REVISION_HEADER = io.kube4j.machinery.informer.KafkaSource.REVISION_HEADER;
}
