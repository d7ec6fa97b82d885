package io.kube4j.controller.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.machinery.informer.KafkaInformer;
import io.kube4j.machinery.informer.KafkaSource;
import io.kube4j.machinery.informer.ObjectLister;
import io.kube4j.machinery.registry.ResourceType;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One informer per resource type, shared by every controller of the service (a Pod cache for the
 * ReplicaSet, Endpoints and garbage-collector controllers alike). Controllers ask for informers
 * and register handlers and indexes while they are built; {@link #startAll} then starts them.
 */
public final class SharedInformers implements AutoCloseable {

    private final KubernetesClient client;
    private final KafkaSource kafka;
    private final Map<String, KafkaInformer<?>> informers = new ConcurrentHashMap<>();

    public SharedInformers(KubernetesClient client, KafkaSource kafka) {
        this.client = client;
        this.kafka = kafka;
    }

    /** The informer of {@code resource}, whose objects are read as {@code type}. */
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> KafkaInformer<T> informer(ResourceType resource, Class<T> type) {
        return (KafkaInformer<T>) informers.computeIfAbsent(resource.group() + "/" + resource.plural(),
                k -> new KafkaInformer<>(resource, type, ObjectLister.gateway(client, resource, type, 500), kafka));
    }

    public void startAll() {
        informers.values().forEach(KafkaInformer::start);
    }

    /** Waits for every informer's first list; false when {@code timeout} passed first. */
    public boolean awaitSynced(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (KafkaInformer<?> informer : List.copyOf(informers.values())) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !informer.awaitSynced(Duration.ofNanos(left))) return false;
        }
        return true;
    }

    @Override
    public void close() {
        informers.values().forEach(KafkaInformer::close);
    }
}
