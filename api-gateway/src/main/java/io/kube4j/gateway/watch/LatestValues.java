package io.kube4j.gateway.watch;

import io.kube4j.store.Store;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The newest stored value the watch cache has seen for each key under one prefix, for writers that
 * would otherwise read etcd before a compare-and-swap (a pod's binding). A value may be stale, never
 * newer than etcd: callers must write with its mod revision as the precondition.
 *
 * <p>Bounded: the least recently seen keys are forgotten first, and a delete forgets its key, so a
 * miss only means a read from etcd. Thread-safe; {@link #accept} is the watch cache's listener.
 */
public final class LatestValues implements Consumer<CachedEvent> {

    private final String prefix;
    private final Map<String, Store.KeyValue> values;

    public LatestValues(String prefix, int capacity) {
        this.prefix = prefix;
        this.values = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Store.KeyValue> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public void accept(CachedEvent event) {
        String key = event.key();
        if (!key.startsWith(prefix)) return;
        synchronized (values) {
            if (event.isDelete()) {
                values.remove(key);
                return;
            }
            Store.KeyValue stored = event.stored();
            Store.KeyValue known = values.get(key);
            if (known != null && known.modRevision() >= stored.modRevision()) return;
            // Re-inserted so that eviction follows the last change, not the first.
            values.remove(key);
            values.put(key, stored);
        }
    }

    /** The newest value seen for the key, if it is still held. */
    public Optional<Store.KeyValue> get(String key) {
        synchronized (values) {
            return Optional.ofNullable(values.get(key));
        }
    }
}
