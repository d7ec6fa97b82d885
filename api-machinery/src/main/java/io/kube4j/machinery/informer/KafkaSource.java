package io.kube4j.machinery.informer;

import java.time.Duration;
import java.util.Map;

/**
 * Where the change feed is: Kafka's bootstrap servers, and how topics are made when an informer
 * starts before the relay has created its resource's topic.
 *
 * @param bootstrapServers Kafka's {@code bootstrap.servers}
 * @param partitions       partitions of a topic an informer creates; must equal the relay's {@code kube4j.relay.partitions}
 * @param pollTimeout      how long one poll waits for records
 * @param clientProperties extra Kafka consumer properties (security, tuning)
 */
public record KafkaSource(String bootstrapServers, int partitions, Duration pollTimeout, Map<String, Object> clientProperties) {

    /** The record header in which the relay writes each change's etcd revision, as a decimal string. */
    public static final String REVISION_HEADER = "kube4j-revision";

    public KafkaSource {
        if (bootstrapServers == null || bootstrapServers.isBlank()) throw new IllegalArgumentException("bootstrapServers is required");
        if (partitions < 1) throw new IllegalArgumentException("partitions must be positive");
        pollTimeout = pollTimeout == null ? Duration.ofMillis(200) : pollTimeout;
        clientProperties = Map.copyOf(clientProperties == null ? Map.of() : clientProperties);
    }

    public static KafkaSource of(String bootstrapServers, int partitions) {
        return new KafkaSource(bootstrapServers, partitions, null, null);
    }
}
