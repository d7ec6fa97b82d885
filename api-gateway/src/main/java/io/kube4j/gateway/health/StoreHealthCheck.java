package io.kube4j.gateway.health;

import io.kube4j.store.Store;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@code etcd} check of {@code /healthz} and {@code /readyz}: the store answers a revision
 * read within the timeout. A gateway that cannot reach etcd is not ready, as kube-apiserver
 * reports; it stays live, since restarting it would not bring etcd back.
 */
public final class StoreHealthCheck implements HealthCheck {

    private final Store store;
    private final Duration timeout;

    public StoreHealthCheck(Store store, Duration timeout) {
        this.store = store;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "etcd";
    }

    @Override
    public Set<Probe> probes() {
        return EnumSet.of(Probe.HEALTHZ, Probe.READYZ);
    }

    @Override
    public boolean passes() {
        CompletableFuture<Long> revision = new CompletableFuture<>();
        // The store's own timeout is longer than a probe may take; the probe stops waiting first.
        Thread.ofVirtual().name("etcd-health").start(() -> {
            try {
                revision.complete(store.currentRevision());
            } catch (RuntimeException e) {
                revision.completeExceptionally(e);
            }
        });
        try {
            revision.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }
}
