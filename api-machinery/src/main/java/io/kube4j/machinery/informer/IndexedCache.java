package io.kube4j.machinery.informer;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The {@link Cache} an informer writes into, also usable on its own as the fake of an informer's
 * cache in tests ({@link #put}, {@link #remove}). Indexes are functions from an object to its
 * index values; they are kept up to date on every write.
 *
 * <p>Thread-safety: writes are serialized by the instance's lock; reads of single keys are
 * lock-free, index reads take the lock briefly.
 */
public final class IndexedCache<T extends HasMetadata> implements Cache<T> {

    private final Map<String, T> items = new ConcurrentHashMap<>();
    private final Map<String, Function<T, List<String>>> indexers = new HashMap<>();
    private final Map<String, Map<String, Set<String>>> indexes = new HashMap<>();

    public IndexedCache() {
        addIndex(NAMESPACE_INDEX, o -> List.of(o.getMetadata().getNamespace() == null ? "" : o.getMetadata().getNamespace()));
    }

    /** Adds an index; objects already cached are indexed at once. */
    public synchronized IndexedCache<T> addIndex(String name, Function<T, List<String>> indexer) {
        indexers.put(name, indexer);
        Map<String, Set<String>> index = new HashMap<>();
        indexes.put(name, index);
        items.forEach((key, object) -> indexer.apply(object).forEach(v -> index.computeIfAbsent(v, x -> new HashSet<>()).add(key)));
        return this;
    }

    /** Stores {@code object} under its key; returns the object it replaced, or null. */
    public synchronized T put(T object) {
        String key = ObjectKeys.key(object);
        T old = items.put(key, object);
        if (old != null) unindex(key, old);
        indexers.forEach((name, indexer) -> {
            Map<String, Set<String>> index = indexes.get(name);
            for (String value : indexer.apply(object)) index.computeIfAbsent(value, x -> new HashSet<>()).add(key);
        });
        return old;
    }

    /** Removes the object under {@code key}; returns it, or null when there was none. */
    public synchronized T remove(String key) {
        T old = items.remove(key);
        if (old != null) unindex(key, old);
        return old;
    }

    private void unindex(String key, T object) {
        indexers.forEach((name, indexer) -> {
            Map<String, Set<String>> index = indexes.get(name);
            for (String value : indexer.apply(object)) {
                Set<String> keys = index.get(value);
                if (keys != null) {
                    keys.remove(key);
                    if (keys.isEmpty()) index.remove(value);
                }
            }
        });
    }

    @Override
    public Optional<T> get(String key) {
        return Optional.ofNullable(items.get(key));
    }

    @Override
    public List<T> list() {
        return new ArrayList<>(items.values());
    }

    @Override
    public synchronized List<T> byIndex(String index, String value) {
        Map<String, Set<String>> values = indexes.get(index);
        if (values == null) throw new IllegalArgumentException("no index " + index);
        Set<String> keys = values.get(value);
        if (keys == null) return List.of();
        List<T> result = new ArrayList<>(keys.size());
        for (String key : keys) {
            T object = items.get(key);
            if (object != null) result.add(object);
        }
        return result;
    }

    @Override
    public List<String> keys() {
        return new ArrayList<>(items.keySet());
    }

    @Override
    public int size() {
        return items.size();
    }
}
