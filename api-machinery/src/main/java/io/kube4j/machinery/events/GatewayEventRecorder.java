package io.kube4j.machinery.events;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Writes Events through the gateway on a background thread, named as kube-apiserver's clients
 * name them ({@code {object}.{hex nanos}}), with {@code source.component} and
 * {@code reportingController} set to the component. When more than 1,000 events wait, new ones
 * are dropped rather than slowing the controllers down. An event that happens again within 10
 * minutes (same object, field path, type, reason and message: a probe that keeps failing, a
 * container in back-off) raises the first one's {@code count} and {@code lastTimestamp} instead
 * of adding another.
 *
 * <p>Optionally rate-limited, as kube's event broadcaster writes through its client's rate
 * limiter: at most {@code qps} writes a second after a burst of {@code burst}. A component whose
 * every action yields an event (the scheduler's {@code Scheduled}) then does not spend the
 * gateway's capacity on the story of its work while the work itself waits for the gateway; the
 * events trail behind a burst and, past the queue's 1,000, are dropped.
 */
public final class GatewayEventRecorder implements EventRecorder, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GatewayEventRecorder.class);

    /** How long a repeated event is counted on the one written first, as client-go's event correlator does. */
    static final Duration AGGREGATION_WINDOW = Duration.ofMinutes(10);
    private static final int MAX_RECENT = 4096;

    private final KubernetesClient client;
    private final String component;
    private final String host;
    private final ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1000), Thread.ofPlatform().name("events").daemon().factory(), new ThreadPoolExecutor.DiscardPolicy());

    /** Null: no limit. Used by the single writer thread only. */
    private final TokenBucket bucket;

    /** An event this recorder wrote: its name, how often it happened, when last. */
    private record Written(String name, int count, Instant last) {
    }

    /**
     * The events written lately, by what makes two occurrences the same event (object, field path,
     * type, reason, message), least recently used first; used by the single writer thread only.
     */
    private final Map<String, Written> recent = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Written> eldest) {
            return size() > MAX_RECENT;
        }
    };

    /** @param component e.g. {@code deployment-controller}, {@code default-scheduler}, {@code kubelet} */
    public GatewayEventRecorder(KubernetesClient client, String component, String host) {
        this(client, component, host, 0, 0);
    }

    /**
     * @param qps   event writes per second at most; 0 or less: no limit
     * @param burst writes allowed at once after a quiet spell (at least 1)
     */
    public GatewayEventRecorder(KubernetesClient client, String component, String host, double qps, int burst) {
        this.client = client;
        this.component = component;
        this.host = host;
        this.bucket = qps > 0 ? new TokenBucket(qps, burst, System.nanoTime()) : null;
    }

    /** Waits for a token of the bucket; runs on the single writer thread only. */
    private void awaitToken() throws InterruptedException {
        if (bucket == null) return;
        for (long wait = bucket.tryTake(System.nanoTime()); wait > 0; wait = bucket.tryTake(System.nanoTime())) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    @Override
    public void event(HasMetadata object, String type, String reason, String message) {
        event(object, null, type, reason, message);
    }

    @Override
    public void event(HasMetadata object, String fieldPath, String type, String reason, String message) {
        var meta = object.getMetadata();
        String namespace = meta.getNamespace() == null || meta.getNamespace().isEmpty() ? "default" : meta.getNamespace();
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String now = at.toString();
        var event = new EventBuilder()
                .withNewMetadata().withNamespace(namespace)
                .withName(meta.getName() + "." + Long.toHexString(System.currentTimeMillis() * 1_000_000 + System.nanoTime() % 1_000_000)).endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(object.getApiVersion()).withKind(object.getKind())
                        .withNamespace(meta.getNamespace()).withName(meta.getName()).withUid(meta.getUid())
                        .withResourceVersion(meta.getResourceVersion()).withFieldPath(fieldPath).build())
                .withType(type).withReason(reason).withMessage(message)
                .withNewSource().withComponent(component).withHost(host).endSource()
                .withReportingComponent(component).withReportingInstance(host)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .build();
        String key = String.join("\u0000", namespace, meta.getName(), String.valueOf(meta.getUid()), String.valueOf(fieldPath),
                type, reason, message);
        writer.execute(() -> {
            try {
                awaitToken();
                Written seen = recent.get(key);
                if (seen != null && !at.isAfter(seen.last().plus(AGGREGATION_WINDOW)) && counted(namespace, seen, now)) {
                    recent.put(key, new Written(seen.name(), seen.count() + 1, at));
                    return;
                }
                client.resource(event).create();
                recent.put(key, new Written(event.getMetadata().getName(), 1, at));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.debug("dropping event {} for {}: {}", reason, meta.getName(), e.getMessage());
            }
        });
    }

    /**
     * Counts one more occurrence on the event written before: its {@code count} and
     * {@code lastTimestamp}, which {@code kubectl describe} shows as "x3 over 40s". False when that
     * event is gone (deleted, or expired by the gateway's event TTL), so a new one is written.
     */
    private boolean counted(String namespace, Written seen, String now) {
        try {
            client.v1().events().inNamespace(namespace).withName(seen.name()).patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"count\":" + (seen.count() + 1) + ",\"lastTimestamp\":\"" + now + "\"}");
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) return false;
            throw e;
        }
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(5, TimeUnit.SECONDS)) writer.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
