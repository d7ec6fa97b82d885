package io.kube4j.machinery.controller;

import io.kube4j.machinery.workqueue.WorkQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Runs a {@link Reconciler} on {@code workers} threads over a {@link WorkQueue} of keys: the
 * loop of every controller. Keys outside this replica's {@link WorkShards} are dropped; when
 * shards arrive, every key of the primary type in them is reconciled (a resync); when they go,
 * {@link WorkShards.Listener#revoked} waits for the running reconciles of their keys.
 *
 * <p>Errors: an exception from the reconciler re-adds the key with its backoff; a success
 * forgets the backoff. Event handlers call {@link #enqueue}; tests call {@link #reconcileNow}.
 */
public final class Controller implements WorkShards.Listener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Controller.class);

    private final String name;
    private final Reconciler reconciler;
    private final WorkQueue<String> queue;
    private final int workers;
    private final WorkShards shards;
    private final Supplier<List<String>> primaryKeys;
    private final Map<String, Thread> running = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong reconciles = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean stopped;

    /**
     * @param primaryKeys every key of the controller's primary type (from its informer's cache), for resyncs
     */
    public Controller(String name, Reconciler reconciler, int workers, WorkShards shards, Supplier<List<String>> primaryKeys) {
        this(name, reconciler, WorkQueue.withDefaultBackoff(), workers, shards, primaryKeys);
    }

    public Controller(String name, Reconciler reconciler, WorkQueue<String> queue, int workers, WorkShards shards, Supplier<List<String>> primaryKeys) {
        this.name = name;
        this.reconciler = reconciler;
        this.queue = queue;
        this.workers = workers;
        this.shards = shards;
        this.primaryKeys = primaryKeys;
        shards.addListener(this);
    }

    public String name() {
        return name;
    }

    /** Queues {@code key} if this replica owns it. */
    public void enqueue(String key) {
        if (shards.ownsKey(key)) queue.add(key);
    }

    /** Queues {@code key} after {@code delay} if this replica owns it. */
    public void enqueueAfter(String key, Duration delay) {
        if (shards.ownsKey(key)) queue.addAfter(key, delay);
    }

    /** Queues every owned key of the primary type. */
    public void resync() {
        primaryKeys.get().forEach(this::enqueue);
    }

    public synchronized void start() {
        if (!threads.isEmpty()) return;
        for (int i = 0; i < workers; i++) {
            threads.add(Thread.ofPlatform().name(name + "-worker-" + i).daemon().start(this::work));
        }
        resync();
    }

    private void work() {
        while (!stopped) {
            String key;
            try {
                key = queue.take(Duration.ofSeconds(1)).orElse(null);
            } catch (InterruptedException e) {
                return;
            }
            if (key == null) continue;
            try {
                if (!shards.ownsKey(key)) {
                    queue.forget(key);
                    continue;
                }
                running.put(key, Thread.currentThread());
                // The shard may have gone between the check and the mark: look again now that a
                // revocation would wait for this key.
                if (!shards.ownsKey(key)) continue;
                reconcileOne(key);
            } finally {
                running.remove(key);
                queue.done(key);
            }
        }
    }

    private void reconcileOne(String key) {
        reconciles.incrementAndGet();
        try {
            Result result = reconciler.reconcile(key);
            queue.forget(key);
            if (result != null && result.requeueAfter() != null) queue.addAfter(key, result.requeueAfter());
        } catch (Exception e) {
            failures.incrementAndGet();
            int attempt = queue.failures(key) + 1;
            if (io.kube4j.machinery.client.ObjectClient.isConflict(e)) {
                log.debug("{}: {} conflicted (attempt {}); retrying", name, key, attempt);
            } else {
                log.warn("{}: reconciling {} failed (attempt {}): {}", name, key, attempt, e.toString());
            }
            queue.addRateLimited(key);
        }
    }

    /** Reconciles {@code key} on the calling thread, as a worker would (for tests and tools). */
    public void reconcileNow(String key) {
        reconcileOne(key);
    }

    @Override
    public void assigned(Set<Integer> owned) {
        for (String key : primaryKeys.get()) {
            if (owned.contains(WorkShards.shardOf(key, shards.shardCount()))) queue.add(key);
        }
    }

    @Override
    public void revoked(Set<Integer> gone) {
        while (true) {
            boolean busy = running.keySet().stream().anyMatch(k -> gone.contains(WorkShards.shardOf(k, shards.shardCount())));
            if (!busy) return;
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public long reconciles() {
        return reconciles.get();
    }

    public long failures() {
        return failures.get();
    }

    public WorkQueue<String> queue() {
        return queue;
    }

    @Override
    public void close() {
        stopped = true;
        queue.shutDown();
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
