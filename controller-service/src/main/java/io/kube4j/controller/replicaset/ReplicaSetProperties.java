package io.kube4j.controller.replicaset;

import io.kube4j.controller.pods.Expectations;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Settings of the ReplicaSet controller, under {@code kube4j.controllers.replicaset}.
 *
 * @param burstReplicas       the most pods one reconcile creates or deletes (kube: 500)
 * @param expectationsTimeout how long a reconcile waits for creations and deletions to reach the cache before acting anyway (kube: 5 min)
 */
@ConfigurationProperties("kube4j.controllers.replicaset")
public record ReplicaSetProperties(Integer burstReplicas, Duration expectationsTimeout) {

    public ReplicaSetProperties {
        burstReplicas = burstReplicas == null ? ReplicaSetReconciler.DEFAULT_BURST_REPLICAS : burstReplicas;
        if (burstReplicas < 1) throw new IllegalArgumentException("kube4j.controllers.replicaset.burst-replicas must be positive");
        expectationsTimeout = expectationsTimeout == null ? Expectations.DEFAULT_TIMEOUT : expectationsTimeout;
    }
}
