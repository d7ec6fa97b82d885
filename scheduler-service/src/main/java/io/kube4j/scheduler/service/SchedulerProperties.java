package io.kube4j.scheduler.service;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the scheduler service, under {@code kube4j.scheduler}.
 *
 * @param kubeconfig            the kubeconfig whose current context reaches the gateway (required)
 * @param kafkaBootstrapServers Kafka's bootstrap servers, where the relay publishes the change feed (required)
 * @param partitions            partitions of the change-feed topics; equal to the relay's
 * @param config                a KubeSchedulerConfiguration file (YAML); kube-scheduler's defaults when unset
 * @param leaderElect           whether replicas elect a leader through a Lease (kube-scheduler's default: true)
 * @param leaseNamespace        the Lease's namespace
 * @param leaseName             the Lease's name
 * @param leaseDuration         how long a silent leader keeps the Lease
 * @param bindingThreads        bindings in flight at once: each waits a gateway round trip (a read and a
 *                              compare-and-swap of the pod), so under load this, not the scheduling loop, bounds
 *                              the pods bound a second (16 gave 57-74 pods/s end to end, 64 gave 114)
 * @param replicaId             this replica's identity in the Lease and in events; the host name when empty
 * @param eventQps              Event writes a second at most (Scheduled, FailedScheduling, Preempted), so a burst
 *                              of placements spends the gateway on bindings first; 0: no limit
 * @param eventBurst            Event writes allowed at once after a quiet spell
 */
@ConfigurationProperties("kube4j.scheduler")
public record SchedulerProperties(
        Path kubeconfig,
        String kafkaBootstrapServers,
        Integer partitions,
        Path config,
        Boolean leaderElect,
        String leaseNamespace,
        String leaseName,
        Duration leaseDuration,
        Integer bindingThreads,
        String replicaId,
        Double eventQps,
        Integer eventBurst) {

    public SchedulerProperties {
        if (kubeconfig == null) throw new IllegalArgumentException("kube4j.scheduler.kubeconfig is required");
        if (kafkaBootstrapServers == null || kafkaBootstrapServers.isBlank()) {
            throw new IllegalArgumentException("kube4j.scheduler.kafka-bootstrap-servers is required");
        }
        partitions = partitions == null ? 6 : partitions;
        leaderElect = leaderElect == null || leaderElect;
        leaseNamespace = leaseNamespace == null || leaseNamespace.isBlank() ? "kube-system" : leaseNamespace;
        leaseName = leaseName == null || leaseName.isBlank() ? "kube-scheduler" : leaseName;
        leaseDuration = leaseDuration == null ? Duration.ofSeconds(15) : leaseDuration;
        bindingThreads = bindingThreads == null ? 64 : bindingThreads;
        eventQps = eventQps == null ? 20.0 : eventQps;
        eventBurst = eventBurst == null ? 100 : eventBurst;
        if (replicaId == null || replicaId.isBlank()) {
            String host = System.getenv("HOSTNAME");
            replicaId = (host == null || host.isBlank() ? "scheduler" : host) + "-" + ProcessHandle.current().pid();
        }
    }
}
