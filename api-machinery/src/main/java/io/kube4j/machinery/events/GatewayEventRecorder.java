package io.kube4j.machinery.events;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Writes Events through the gateway on a background thread, named as kube-apiserver's clients
 * name them ({@code {object}.{hex nanos}}), with {@code source.component} and
 * {@code reportingController} set to the component. When more than 1,000 events wait, new ones
 * are dropped rather than slowing the controllers down.
 *
 * <p>Optionally rate-limited, as kube's event broadcaster writes through its client's rate
 * limiter: at most {@code qps} writes a second after a burst of {@code burst}. A component whose
 * every action yields an event (the scheduler's {@code Scheduled}) then does not spend the
 * gateway's capacity on the story of its work while the work itself waits for the gateway; the
 * events trail behind a burst and, past the queue's 1,000, are dropped.
 */
public final class GatewayEventRecorder implements EventRecorder, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GatewayEventRecorder.class);

    private final KubernetesClient client;
    private final String component;
    private final String host;
    private final ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1000), Thread.ofPlatform().name("events").daemon().factory(), new ThreadPoolExecutor.DiscardPolicy());

    /** Null: no limit. Used by the single writer thread only. */
    private final TokenBucket bucket;

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
        var meta = object.getMetadata();
        String namespace = meta.getNamespace() == null || meta.getNamespace().isEmpty() ? "default" : meta.getNamespace();
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        var event = new EventBuilder()
                .withNewMetadata().withNamespace(namespace)
                .withName(meta.getName() + "." + Long.toHexString(System.currentTimeMillis() * 1_000_000 + System.nanoTime() % 1_000_000)).endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(object.getApiVersion()).withKind(object.getKind())
                        .withNamespace(meta.getNamespace()).withName(meta.getName()).withUid(meta.getUid())
                        .withResourceVersion(meta.getResourceVersion()).build())
                .withType(type).withReason(reason).withMessage(message)
                .withNewSource().withComponent(component).withHost(host).endSource()
                .withReportingComponent(component).withReportingInstance(host)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .build();
        writer.execute(() -> {
            try {
                awaitToken();
                client.resource(event).create();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.debug("dropping event {} for {}: {}", reason, meta.getName(), e.getMessage());
            }
        });
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
