package io.kube4j.controller.runtime;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Settings of the controller service, under {@code kube4j.controllers}.
 *
 * @param kubeconfig            the kubeconfig whose current context reaches the gateway (required)
 * @param kafkaBootstrapServers Kafka's bootstrap servers, where the relay publishes the change feed (required)
 * @param partitions            partitions of the change-feed topics and of each controller's shards; equal to the relay's
 * @param workers               worker threads per controller
 * @param shardSessionTimeout   how long a silent replica keeps its shards before the others take them
 * @param syncTimeout           how often to report that the first lists of the informers are still missing
 * @param enabled               controllers to run by name, {@code *} for all
 * @param disabled              controllers not to run by name (wins over {@code enabled})
 * @param replicaId             this replica's name in shard assignments and events; the host name when empty
 */
@ConfigurationProperties("kube4j.controllers")
public record ControllerProperties(
        Path kubeconfig,
        String kafkaBootstrapServers,
        Integer partitions,
        Integer workers,
        Duration shardSessionTimeout,
        Duration syncTimeout,
        List<String> enabled,
        List<String> disabled,
        String replicaId) {

    public ControllerProperties {
        if (kubeconfig == null) throw new IllegalArgumentException("kube4j.controllers.kubeconfig is required");
        if (kafkaBootstrapServers == null || kafkaBootstrapServers.isBlank()) {
            throw new IllegalArgumentException("kube4j.controllers.kafka-bootstrap-servers is required");
        }
        partitions = partitions == null ? 6 : partitions;
        workers = workers == null ? 4 : workers;
        shardSessionTimeout = shardSessionTimeout == null ? Duration.ofSeconds(10) : shardSessionTimeout;
        syncTimeout = syncTimeout == null ? Duration.ofSeconds(30) : syncTimeout;
        enabled = enabled == null || enabled.isEmpty() ? List.of("*") : List.copyOf(enabled);
        disabled = disabled == null ? List.of() : List.copyOf(disabled);
        if (replicaId == null || replicaId.isBlank()) {
            String host = System.getenv("HOSTNAME");
            replicaId = (host == null || host.isBlank() ? "controller" : host) + "-" + ProcessHandle.current().pid();
        }
    }

    /** Whether the controller {@code name} runs in this replica. */
    public boolean runs(String name) {
        return !disabled.contains(name) && (enabled.contains("*") || enabled.contains(name));
    }
}
