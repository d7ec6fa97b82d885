package io.kube4j.controller.endpoints;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.kube4j.machinery.informer.ObjectKeys;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The slices this replica wrote and has not yet seen come back through its cache. A reconcile on a
 * cache that misses a slice just created would create its endpoints a second time; so while the
 * cache is behind the writes of a service, the service waits (kube's endpoint slice tracker).
 * An expectation older than {@link #PATIENCE} is dropped: someone else may have deleted the slice
 * before the cache saw it. Thread-safe.
 */
public final class SliceTracker {

    static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final long DELETED = -1;

    private record Expected(long revision, Instant at) {
    }

    private final Map<String, Map<String, Expected>> byService = new ConcurrentHashMap<>();
    private final Clock clock;

    public SliceTracker(Clock clock) {
        this.clock = clock;
    }

    void wrote(String service, EndpointSlice slice) {
        byService.computeIfAbsent(service, k -> new ConcurrentHashMap<>())
                .put(slice.getMetadata().getName(), new Expected(ObjectKeys.revision(slice), clock.instant()));
    }

    void deleted(String service, EndpointSlice slice) {
        byService.computeIfAbsent(service, k -> new ConcurrentHashMap<>())
                .put(slice.getMetadata().getName(), new Expected(DELETED, clock.instant()));
    }

    /** Whether {@code cached} (the service's slices in the cache) reflects every write; settles the expectations it does reflect. */
    boolean current(String service, List<EndpointSlice> cached) {
        Map<String, Expected> expected = byService.get(service);
        if (expected == null) return true;
        Instant now = clock.instant();
        boolean current = true;
        for (var entry : expected.entrySet()) {
            Expected e = entry.getValue();
            EndpointSlice seen = cached.stream().filter(s -> entry.getKey().equals(s.getMetadata().getName())).findFirst().orElse(null);
            boolean settled = e.revision() == DELETED ? seen == null : seen != null && ObjectKeys.revision(seen) >= e.revision();
            if (settled || e.at().plus(PATIENCE).isBefore(now)) expected.remove(entry.getKey(), e);
            else current = false;
        }
        if (expected.isEmpty()) byService.remove(service, expected);
        return current;
    }
}
