package io.kube4j.machinery.informer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.kube4j.machinery.registry.ResourceType;

import java.time.Duration;

/**
 * Keeps a {@link Cache} of every object of one type up to date and tells handlers what changed,
 * as client-go's shared informer does.
 *
 * <p>Handlers run on the informer's own thread, one event at a time, in the order the objects
 * changed; they must be quick (enqueue a key, not reconcile). An object's events reach handlers
 * once: repeats the change feed delivers are dropped. After a relist (a gap in the feed) handlers
 * see the differences between the old cache and the new list as adds, updates and deletes, the
 * deletes with {@code deletedFinalStateUnknown = true}.
 */
public interface Informer<T extends HasMetadata> extends AutoCloseable {

    ResourceType resource();

    Cache<T> cache();

    /** Registers a handler; one registered after the first sync is told about every cached object as an add. */
    void addHandler(ResourceEventHandler<? super T> handler);

    /** Starts the informer's thread; returns at once. Idempotent. */
    void start();

    /** Whether the cache holds a complete list (it has listed at least once). */
    boolean hasSynced();

    /** Waits until {@link #hasSynced()}; false when {@code timeout} passed first. */
    boolean awaitSynced(Duration timeout) throws InterruptedException;

    /** Stops the thread and releases its connections. */
    @Override
    void close();
}
