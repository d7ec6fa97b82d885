package io.kube4j.store.relay;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Settings of the change-feed relay, under {@code kube4j.relay}. Kafka's own settings (bootstrap
 * servers, security, producer tuning) come from {@code spring.kafka.*}; the relay overrides only
 * what its guarantees rest on (see {@link KafkaChangePublisher}: idempotence, {@code acks=all},
 * one request in flight, no delivery timeout).
 *
 * @param etcdEndpoints      etcd client URLs
 * @param partitions         partitions of each topic the relay creates
 * @param replicationFactor  replication factor of each topic the relay creates; -1 takes the broker's {@code default.replication.factor}
 * @param leaseTtl           TTL of the leader's etcd lease: a standby takes over at most this long after the leader dies
 * @param checkpointInterval the relay checkpoints what Kafka has acknowledged at most this often…
 * @param checkpointEvents   …or after this many relayed events, whichever comes first
 * @param maxInFlight        records sent but not acknowledged above which the relay stops reading etcd until Kafka catches up
 * @param retryBackoff       pause before retrying after an etcd or Kafka failure
 * @param instanceId         this relay's name in the leader key; must differ between relays
 * @param leaderKey          etcd key the leader holds under its lease
 * @param checkpointKey      etcd key of the last relayed revision; outside {@code /registry/} so it is not relayed itself
 */
@ConfigurationProperties("kube4j.relay")
public record RelayProperties(
        List<String> etcdEndpoints,
        Integer partitions,
        Short replicationFactor,
        Duration leaseTtl,
        Duration checkpointInterval,
        Integer checkpointEvents,
        Integer maxInFlight,
        Duration retryBackoff,
        String instanceId,
        String leaderKey,
        String checkpointKey) {

    public RelayProperties {
        etcdEndpoints = etcdEndpoints == null || etcdEndpoints.isEmpty() ? List.of("http://127.0.0.1:2379") : List.copyOf(etcdEndpoints);
        partitions = partitions == null ? 6 : partitions;
        replicationFactor = replicationFactor == null ? -1 : replicationFactor;
        leaseTtl = leaseTtl == null ? Duration.ofSeconds(10) : leaseTtl;
        checkpointInterval = checkpointInterval == null ? Duration.ofMillis(100) : checkpointInterval;
        checkpointEvents = checkpointEvents == null ? 1000 : checkpointEvents;
        maxInFlight = maxInFlight == null ? 10_000 : maxInFlight;
        retryBackoff = retryBackoff == null ? Duration.ofMillis(500) : retryBackoff;
        instanceId = instanceId == null || instanceId.isBlank() ? defaultInstanceId() : instanceId;
        leaderKey = leaderKey == null ? "/kube4j/relay/leader" : leaderKey;
        checkpointKey = checkpointKey == null ? "/kube4j/relay/checkpoint" : checkpointKey;
        if (partitions < 1) throw new IllegalArgumentException("kube4j.relay.partitions must be at least 1");
        if (leaseTtl.toSeconds() < 2) throw new IllegalArgumentException("kube4j.relay.lease-ttl must be at least 2s: etcd counts leases in seconds");
        if (leaderKey.startsWith(RegistryKey.PREFIX) || checkpointKey.startsWith(RegistryKey.PREFIX)) {
            throw new IllegalArgumentException("the relay's own keys must lie outside " + RegistryKey.PREFIX);
        }
    }

    /** Defaults for code and tests that build the record by hand. */
    public static RelayProperties defaults() {
        return new RelayProperties(null, null, null, null, null, null, null, null, null, null, null);
    }

    private static String defaultInstanceId() {
        // host@pid plus a random suffix: a restarted relay with a recycled pid is still another instance
        return ManagementFactory.getRuntimeMXBean().getName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
