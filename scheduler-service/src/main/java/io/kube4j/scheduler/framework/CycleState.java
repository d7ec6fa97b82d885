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
 * with the cache. Preemption and nominated pods try the pod against changed nodes on a {@link #copy()}, whose
 * {@link StateData} the PreFilter extensions then change; other values are shared and must be immutable.
 */
public final class CycleState {

    /**
     * A value that {@link PreFilterExtensions} change after PreFilter wrote it (counts by topology domain): each
     * {@link CycleState#copy()} holds its own copy of it.
     */
    public interface StateData {

        /** A copy that later changes to this one do not affect, and that does not affect this one. */
        StateData copy();
    }

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

    /**
     * A copy of this state to try the pod on a changed node: {@link StateData} values are copied, other values
     * shared; the skip sets are copied. Safe to call while Filters read this state (it only reads).
     */
    public CycleState copy() {
        CycleState c = new CycleState();
        for (Map.Entry<String, Object> e : data.entrySet()) {
            c.data.put(e.getKey(), e.getValue() instanceof StateData d ? d.copy() : e.getValue());
        }
        c.skipFilter.addAll(skipFilter);
        c.skipScore.addAll(skipScore);
        return c;
    }
}
