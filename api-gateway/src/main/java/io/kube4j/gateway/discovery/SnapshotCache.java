package io.kube4j.gateway.discovery;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Remembers one value computed from one input snapshot (e.g. the registry's current types) and
 * recomputes it when the snapshot changes (by {@code equals}). Thread-safe: concurrent callers
 * may compute the same value twice, which is harmless for the pure functions it caches.
 */
public final class SnapshotCache<K, V> {

    private record Entry<K, V>(K key, V value) {}

    private final AtomicReference<Entry<K, V>> current = new AtomicReference<>();

    public V get(K key, Supplier<V> compute) {
        Entry<K, V> entry = current.get();
        if (entry != null && Objects.equals(entry.key(), key)) {
            return entry.value();
        }
        V value = compute.get();
        current.set(new Entry<>(key, value));
        return value;
    }
}
