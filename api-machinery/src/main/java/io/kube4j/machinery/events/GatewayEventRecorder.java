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
 */
public final class GatewayEventRecorder implements EventRecorder, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GatewayEventRecorder.class);

    private final KubernetesClient client;
    private final String component;
    private final String host;
    private final ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1000), Thread.ofPlatform().name("events").daemon().factory(), new ThreadPoolExecutor.DiscardPolicy());

    /** @param component e.g. {@code deployment-controller}, {@code default-scheduler}, {@code kubelet} */
    public GatewayEventRecorder(KubernetesClient client, String component, String host) {
        this.client = client;
        this.component = component;
        this.host = host;
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
                client.resource(event).create();
            } catch (RuntimeException e) {
                log.debug("dropping event {} for {}: {}", reason, meta.getName(), e.getMessage());
            }
        });
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
