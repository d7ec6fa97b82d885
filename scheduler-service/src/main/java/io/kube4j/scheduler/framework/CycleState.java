package io.kube4j.scheduler.framework;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Data that plugins share within one scheduling cycle of one pod: what a PreFilter or PreScore computes once,
 * its Filter or Score reads for every node.
 *
 * <p>Writes happen at the single-threaded extension points (PreFilter, PreScore, Reserve); Filter and Score may
 * run for many nodes in parallel and only read. A value stored here belongs to the cycle and must not be shared
 * with the cache.
 */
public final class CycleState {

    private final Map<String, Object> data = new HashMap<>();
    private final Set<String> skipFilter = new HashSet<>();
    private final Set<String> skipScore = new HashSet<>();

    /** Stores the value for {@code key}, replacing any earlier one. */
    public void write(String key, Object value) {
        data.put(key, value);
    }

    /** The value stored for {@code key}, or null when no plugin stored one this cycle. */
    @SuppressWarnings("unchecked")
    public <T> T read(String key) {
        return (T) data.get(key);
    }

    /** Plugins whose PreFilter answered {@link Code#SKIP}: their Filter is not called this cycle. */
    public Set<String> skipFilterPlugins() {
        return skipFilter;
    }

    /** Plugins whose PreScore answered {@link Code#SKIP}: their Score is not called this cycle. */
    public Set<String> skipScorePlugins() {
        return skipScore;
    }
}
