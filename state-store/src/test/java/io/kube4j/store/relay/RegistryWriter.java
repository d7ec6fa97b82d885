package io.kube4j.store.relay;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.PutOption;
import io.kube4j.machinery.registry.ResourceType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes objects straight into etcd under {@code /registry/}, as the gateway would, and remembers
 * the revision and the watch-event type of every write etcd confirmed. A background mode keeps
 * writing (creates, updates, deletes over a fixed set of keys) and retries through etcd outages.
 */
final class RegistryWriter implements AutoCloseable {

    /** One confirmed write: what the relay must publish. */
    record Written(String topic, String recordKey, long revision, String type) {
    }

    private final Client etcd;
    private final List<String> resources;
    private final int keysPerResource;
    private final List<Written> written = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong failures = new AtomicLong();
    private Thread thread;

    /** {@code resources} are storage-group/resource pairs such as {@code core/pods}; the first is cluster-scoped. */
    RegistryWriter(Client etcd, List<String> resources, int keysPerResource) {
        this.etcd = etcd;
        this.resources = resources;
        this.keysPerResource = keysPerResource;
    }

    static String key(String resource, int index, boolean clusterScoped) {
        return clusterScoped
                ? "/registry/" + resource + "/obj-" + index
                : "/registry/" + resource + "/ns-" + (index % 2) + "/obj-" + index;
    }

    /** Puts an object; returns what the relay must publish for it. */
    Written put(String key, long generation) throws Exception {
        RegistryKey parsed = RegistryKey.parse(key).orElseThrow();
        String json = "{\"apiVersion\":\"v1\",\"kind\":\"Thing\",\"metadata\":{\"name\":\"" + parsed.name() + "\""
                + (parsed.namespace() == null ? "" : ",\"namespace\":\"" + parsed.namespace() + "\"")
                + "},\"spec\":{\"generation\":" + generation + "}}";
        var response = etcd.getKVClient()
                .put(bytes(key), bytes(json), PutOption.builder().withPrevKV().build())
                .get(3, TimeUnit.SECONDS);
        return record(new Written(parsed.topic(), parsed.recordKey(), response.getHeader().getRevision(),
                response.hasPrevKv() ? "MODIFIED" : "ADDED"));
    }

    /** Deletes an object; returns what the relay must publish, or null if there was nothing to delete. */
    Written delete(String key) throws Exception {
        RegistryKey parsed = RegistryKey.parse(key).orElseThrow();
        var response = etcd.getKVClient().delete(bytes(key), DeleteOption.DEFAULT).get(3, TimeUnit.SECONDS);
        if (response.getDeleted() == 0) return null;
        return record(new Written(parsed.topic(), parsed.recordKey(), response.getHeader().getRevision(), "DELETED"));
    }

    /** Starts writing in the background: about one write every {@code pauseMillis}. */
    void startBackground(long pauseMillis, long seed) {
        running.set(true);
        thread = Thread.ofPlatform().name("registry-writer").start(() -> {
            Random random = new Random(seed);
            long generation = 0;
            while (running.get()) {
                int r = random.nextInt(resources.size());
                String key = key(resources.get(r), random.nextInt(keysPerResource), r == 0);
                try {
                    if (random.nextInt(10) == 0) delete(key);
                    else put(key, ++generation);
                } catch (Exception e) {
                    failures.incrementAndGet(); // etcd down: the outcome is unknown, so nothing is expected of it
                    RelayProcess.sleep(100);
                }
                if (pauseMillis > 0) RelayProcess.sleep(pauseMillis);
            }
        });
    }

    /** Stops the background writer and waits for its last write. */
    void stopBackground() throws InterruptedException {
        running.set(false);
        if (thread != null) thread.join();
    }

    synchronized List<Written> written() {
        return List.copyOf(written);
    }

    synchronized int count() {
        return written.size();
    }

    long failures() {
        return failures.get();
    }

    /** The topics of all resources this writer writes to. */
    List<String> topics() {
        return resources.stream().map(r -> r.split("/")).map(p -> ResourceType.topicFor(p[0], p[1])).toList();
    }

    private synchronized Written record(Written w) {
        written.add(w);
        return w;
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        stopBackground();
    }
}
