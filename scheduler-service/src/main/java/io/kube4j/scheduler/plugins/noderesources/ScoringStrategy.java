package io.kube4j.scheduler.plugins.noderesources;

/** How NodeResourcesFit ranks nodes: spreading ({@code LeastAllocated}, the default) or packing. */
public enum ScoringStrategy {
    LeastAllocated,
    MostAllocated;

    /** The score of one resource, in {@code [0, 100]}. */
    long score(long requested, long capacity) {
        if (capacity == 0) return 0;
        return switch (this) {
            case LeastAllocated -> requested > capacity ? 0 : (capacity - requested) * 100 / capacity;
            case MostAllocated -> Math.min(requested, capacity) * 100 / capacity;
        };
    }
}
