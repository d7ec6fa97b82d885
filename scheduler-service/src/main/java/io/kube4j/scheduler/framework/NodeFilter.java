package io.kube4j.scheduler.framework;

/**
 * A profile's Filter extension point for one pod, with the pods on a node changeable as kube-scheduler's
 * framework handle allows a PostFilter: whether the pod fits the node (the first rejection attributed to its
 * plugin), and pods added to or removed from a node copy together with the PreFilter state that counts them.
 * What preemption uses to ask "would the pod fit if these pods were gone".
 *
 * <p>Called from the scheduling thread. {@link #filter} only reads; {@link #addPod} and {@link #removePod} change
 * the NodeInfo and the CycleState given, which must be copies the caller owns (never the snapshot's NodeInfo or
 * the cycle's own state). An error status from them means a PreFilter extension failed.
 */
public interface NodeFilter {

    /** Whether {@code pod} passes every Filter on {@code node}, with the pods nominated there accounted. */
    Status filter(CycleState state, PodInfo pod, NodeInfo node);

    /** Places {@code podToAdd} on {@code node} and counts it in what the PreFilters computed for {@code pod}. */
    Status addPod(CycleState state, PodInfo pod, NodeInfo node, PodInfo podToAdd);

    /** Takes {@code podToRemove} off {@code node} and out of what the PreFilters computed for {@code pod}. */
    Status removePod(CycleState state, PodInfo pod, NodeInfo node, PodInfo podToRemove);
}
