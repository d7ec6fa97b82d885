package io.kube4j.controller.pods;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kube4j.machinery.events.EventRecorder;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * client-go's spam filter for events: per involved object a bucket of 25 events that refills one
 * event every five minutes; what does not fit is dropped. A 1,000-replica ReplicaSet thus writes 25
 * SuccessfulCreate events, not 1,000 writes competing with its pods' creates, as in kube.
 */
public final class SpamFilteredEvents implements EventRecorder {

    static final int BURST = 25;
    static final Duration REFILL = Duration.ofMinutes(5);

    private final EventRecorder delegate;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens = BURST;
        long last;
    }

    public SpamFilteredEvents(EventRecorder delegate, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
    }

    @Override
    public void event(HasMetadata object, String type, String reason, String message) {
        String key = object.getKind() + "/" + object.getMetadata().getNamespace() + "/" + object.getMetadata().getName()
                + "/" + object.getMetadata().getUid();
        Bucket bucket = buckets.computeIfAbsent(key, k -> {
            Bucket b = new Bucket();
            b.last = clock.millis();
            return b;
        });
        synchronized (bucket) {
            long now = clock.millis();
            bucket.tokens = Math.min(BURST, bucket.tokens + (now - bucket.last) / (double) REFILL.toMillis());
            bucket.last = now;
            if (bucket.tokens < 1) return;
            bucket.tokens--;
        }
        if (buckets.size() > 10_000) buckets.clear();
        delegate.event(object, type, reason, message);
    }
}
