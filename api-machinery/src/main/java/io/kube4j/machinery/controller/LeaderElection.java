package io.kube4j.machinery.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Leader election through a {@code coordination.k8s.io/v1} Lease on the gateway, as
 * kube-scheduler and kube-controller-manager do it: the holder renews the lease every
 * {@code retryPeriod}; when it stops renewing, another candidate takes the lease after
 * {@code leaseDuration}. Only the leader acts, so two replicas never act at once (beyond a
 * leader that stalls past its lease, which the renew deadline bounds).
 *
 * <p>A leader that loses the lease (its renewals failed past the renew deadline, e.g. while the
 * gateway was unreachable) stops acting and then campaigns again, so a replica that lost the lease
 * in a burst is not left idle for good (kube's components exit instead and rely on a restart).
 */
public final class LeaderElection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);

    private final KubernetesClient client;
    private final LeaderElectionConfig config;
    private final Duration pause;
    private volatile boolean closed;
    private volatile CompletableFuture<?> running;

    private LeaderElection(KubernetesClient client, LeaderElectionConfig config, Duration pause) {
        this.client = client;
        this.config = config;
        this.pause = pause;
    }

    /**
     * Starts campaigning for the Lease {@code namespace/name} as {@code identity}; {@code onStart}
     * runs when this candidate becomes leader, {@code onStop} when it stops being leader (then it
     * must stop acting at once). Both may run again, in that order, each time leadership is
     * lost and won back.
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
        LeaderElection election = new LeaderElection(client, config, leaseDuration.dividedBy(5));
        election.campaign();
        return election;
    }

    private synchronized void campaign() {
        if (closed) return;
        CompletableFuture<?> round = client.leaderElector().withConfig(config).build().start();
        running = round;
        round.whenComplete((ignored, failure) -> {
            if (closed) return;
            log.warn("leader election for {} ended ({}); campaigning again", config.getName(),
                    failure == null ? "leadership lost" : failure.toString());
            CompletableFuture.delayedExecutor(pause.toMillis(), TimeUnit.MILLISECONDS).execute(this::campaign);
        });
    }

    @Override
    public void close() {
        closed = true;
        CompletableFuture<?> round = running;
        if (round != null) round.cancel(true);
    }
}
