package io.kube4j.scheduler.framework;

/**
 * A scheduling plugin: one object, built by its factory once per profile, that implements one or more extension
 * point interfaces. Plugins keep no per-pod state in fields (that goes in the {@link CycleState}), so one instance
 * serves every cycle; methods called per node (Filter, Score) must be safe to call from several threads at once.
 */
public interface Plugin {

    /** The name configuration refers to, e.g. {@code NodeResourcesFit}. */
    String name();

    /**
     * The cluster events after which a pod this plugin rejected may fit: the queue retries such a pod only on
     * these. By default, every event.
     */
    default java.util.Set<ClusterEvent> eventsToRegister() {
        return java.util.EnumSet.allOf(ClusterEvent.class);
    }
}
