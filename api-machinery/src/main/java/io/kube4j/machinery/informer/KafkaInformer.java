package io.kube4j.machinery.informer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.kube4j.machinery.object.Json;
import io.kube4j.machinery.registry.ResourceType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.InvalidOffsetException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An {@link Informer} fed by the change feed: it lists through the gateway, then follows the
 * resource's Kafka topic, which the relay fills from etcd in revision order.
 *
 * <p>Why the list and the feed join without a gap: before listing, the informer reads the
 * topic's end offsets and later consumes from them. The list is consistent at revision R, which
 * etcd committed after those offsets were read; every change above R was therefore published
 * after them and is consumed. Records at or below R, and records the relay repeats after a crash,
 * are dropped ({@link FeedPosition}). When Kafka no longer has the records the informer needs
 * (retention deleted them, {@link InvalidOffsetException}), it lists again.
 *
 * <p>The informer reads every partition of the topic (it does not join a consumer group): its
 * cache is complete. Sharing work between replicas is {@link io.kube4j.machinery.controller.WorkShards}'s job.
 */
public final class KafkaInformer<T extends HasMetadata> implements Informer<T> {

    private static final Logger log = LoggerFactory.getLogger(KafkaInformer.class);
    private static final byte[] REVISION_HEADER_MISSING = new byte[0];

    private final ResourceType resource;
    private final Class<T> type;
    private final ObjectLister<T> lister;
    private final KafkaSource kafka;
    private final IndexedCache<T> cache = new IndexedCache<>();
    private final List<ResourceEventHandler<? super T>> handlers = new CopyOnWriteArrayList<>();
    private final CountDownLatch synced = new CountDownLatch(1);
    private final FeedPosition position = new FeedPosition();
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public KafkaInformer(ResourceType resource, Class<T> type, ObjectLister<T> lister, KafkaSource kafka) {
        this.resource = resource;
        this.type = type;
        this.lister = lister;
        this.kafka = kafka;
    }

    /** Adds an index to the cache; call before {@link #start()}. */
    public KafkaInformer<T> addIndex(String name, java.util.function.Function<T, List<String>> indexer) {
        cache.addIndex(name, indexer);
        return this;
    }

    @Override
    public ResourceType resource() {
        return resource;
    }

    @Override
    public Cache<T> cache() {
        return cache;
    }

    @Override
    public void addHandler(ResourceEventHandler<? super T> handler) {
        synchronized (this) {
            handlers.add(handler);
            if (hasSynced()) cache.list().forEach(o -> safely(() -> handler.onAdd(o)));
        }
    }

    @Override
    public synchronized void start() {
        if (thread != null) return;
        running = true;
        thread = Thread.ofPlatform().name("informer-" + resource.plural()).daemon().start(this::run);
    }

    @Override
    public boolean hasSynced() {
        return synced.getCount() == 0;
    }

    @Override
    public boolean awaitSynced(Duration timeout) throws InterruptedException {
        return synced.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) c.wakeup();
        Thread t = thread;
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        long backoff = 500;
        while (running) {
            try (KafkaConsumer<String, byte[]> c = newConsumer()) {
                consumer = c;
                List<TopicPartition> partitions = partitions();
                c.assign(partitions);
                c.endOffsets(partitions).forEach(c::seek);
                relist();
                backoff = 500;
                while (running) {
                    for (ConsumerRecord<String, byte[]> record : c.poll(kafka.pollTimeout())) {
                        apply(record);
                    }
                }
            } catch (WakeupException e) {
                if (running) log.warn("informer for {} woken up while running; listing again", resource.plural());
            } catch (InvalidOffsetException e) {
                log.warn("the change feed of {} no longer holds what this informer needs ({}); listing again", resource.plural(), e.getMessage());
            } catch (RuntimeException e) {
                if (!running) break;
                log.warn("informer for {} failed ({}); listing again in {} ms", resource.plural(), rootCause(e), backoff);
                log.debug("informer failure", e);
                sleep(backoff);
                backoff = Math.min(backoff * 2, 5_000);
            } finally {
                consumer = null;
            }
        }
    }

    private KafkaConsumer<String, byte[]> newConsumer() {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        // The broker answers a fetch as soon as one byte is there (fetch.min.bytes 1), so the wait only
        // bounds how often an idle informer asks: at 50 ms a cluster's ~60 informers kept an idle
        // broker at a fifth of a core. Half a second is Kafka's default and costs no latency.
        props.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 500);
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "informer-" + resource.plural() + "-" + Long.toHexString(System.nanoTime()));
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private List<TopicPartition> partitions() {
        return KafkaTopics.ensure(kafka, resource.topic());
    }

    /** Replaces the cache with a fresh list, telling handlers the differences. */
    private void relist() {
        ObjectLister.Snapshot<T> snapshot = lister.list();
        synchronized (this) {
            Set<String> listed = new HashSet<>();
            for (T object : snapshot.items()) {
                String key = ObjectKeys.key(object);
                listed.add(key);
                T old = cache.put(object);
                if (old == null) notifyAdd(object);
                else if (!sameVersion(old, object)) notifyUpdate(old, object);
            }
            for (String key : cache.keys()) {
                if (!listed.contains(key)) {
                    T gone = cache.remove(key);
                    if (gone != null) notifyDelete(gone, true);
                }
            }
            position.listed(snapshot.revision());
            synced.countDown();
        }
        log.info("informer for {} listed {} objects at revision {}", resource.plural(), snapshot.items().size(), snapshot.revision());
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        long revision = revisionOf(record);
        if (revision > 0 && !position.admit(record.partition(), revision)) return;
        JsonNode event;
        try {
            event = Json.MAPPER.readTree(record.value());
        } catch (RuntimeException e) {
            log.warn("dropping an unreadable record at {}-{}@{}", record.topic(), record.partition(), record.offset());
            return;
        }
        String eventType = event.path("type").asString("");
        if (!(event.path("object") instanceof ObjectNode objectNode)) return;
        objectNode.put("apiVersion", resource.apiVersion());
        objectNode.put("kind", resource.kind());
        T object;
        try {
            object = Json.MAPPER.treeToValue(objectNode, type);
        } catch (RuntimeException e) {
            log.warn("dropping a record of {} that is not a {}: {}", resource.plural(), type.getSimpleName(), e.getMessage());
            return;
        }
        String key = ObjectKeys.key(object);
        synchronized (this) {
            T old = cache.get(key).orElse(null);
            if (old != null && ObjectKeys.revision(old) >= ObjectKeys.revision(object)) return;
            if ("DELETED".equals(eventType)) {
                if (old == null) return;
                cache.remove(key);
                notifyDelete(object, false);
            } else {
                cache.put(object);
                if (old == null) notifyAdd(object);
                else notifyUpdate(old, object);
            }
        }
    }

    private static long revisionOf(ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader(KafkaSource.REVISION_HEADER);
        byte[] value = header == null ? REVISION_HEADER_MISSING : header.value();
        if (value.length == 0) return 0;
        try {
            return Long.parseLong(new String(value, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean sameVersion(HasMetadata a, HasMetadata b) {
        return ObjectKeys.revision(a) == ObjectKeys.revision(b) && ObjectKeys.revision(a) != 0;
    }

    private void notifyAdd(T object) {
        for (var h : handlers) safely(() -> h.onAdd(object));
    }

    private void notifyUpdate(T old, T object) {
        for (var h : handlers) safely(() -> h.onUpdate(old, object));
    }

    private void notifyDelete(T object, boolean finalStateUnknown) {
        for (var h : handlers) safely(() -> h.onDelete(object, finalStateUnknown));
    }

    private void safely(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            log.error("an event handler of the {} informer failed", resource.plural(), e);
        }
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root == e ? e.toString() : e.getClass().getSimpleName() + ": " + root;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
