package io.kube4j.machinery.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Leader election through a {@code coordination.k8s.io/v1} Lease on the gateway, as
 * kube-scheduler and kube-controller-manager do it: the holder renews the lease every
 * {@code retryPeriod}; when it stops renewing, another candidate takes the lease after
 * {@code leaseDuration}. Only the leader acts, so two replicas never act at once (beyond a
 * leader that stalls past its lease, which the renew deadline bounds).
 */
public final class LeaderElection implements AutoCloseable {

    private final CompletableFuture<?> running;

    private LeaderElection(CompletableFuture<?> running) {
        this.running = running;
    }

    /**
     * Starts campaigning for the Lease {@code namespace/name} as {@code identity}; {@code onStart}
     * runs when this candidate becomes leader, {@code onStop} when it stops being leader (then it
     * must stop acting at once).
     */
    public static LeaderElection start(KubernetesClient client, String namespace, String name, String identity,
                                       Duration leaseDuration, Runnable onStart, Runnable onStop) {
        var config = new LeaderElectionConfigBuilder()
                .withName(name)
                .withLock(new LeaseLock(namespace, name, identity))
                .withLeaseDuration(leaseDuration)
                .withRenewDeadline(leaseDuration.multipliedBy(2).dividedBy(3))
                .withRetryPeriod(leaseDuration.dividedBy(5))
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(onStart, onStop, leader -> { }))
                .build();
        return new LeaderElection(client.leaderElector().withConfig(config).build().start());
    }

    @Override
    public void close() {
        running.cancel(true);
    }
}
