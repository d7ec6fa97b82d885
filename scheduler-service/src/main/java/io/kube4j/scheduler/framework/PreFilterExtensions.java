package io.kube4j.scheduler.framework;

/**
 * A PreFilter whose precomputed state counts pods across nodes (matching pods per topology domain), with the calls
 * that keep that state true when a pod is added to or removed from a node after PreFilter ran: what
 * kube-scheduler's {@code PreFilterExtensions} are. Preemption removes lower-priority pods from a copy of a node
 * and puts some back; Filters that read the node itself see that at once, Filters that read counts computed at
 * PreFilter see it only through these calls.
 *
 * <p>Called from the scheduling thread, on a {@link CycleState#copy()} that the caller owns, and only when this
 * plugin's PreFilter did not skip. {@code node} already holds (or no longer holds) the pod when the call comes.
 * Each call is the exact inverse of the other: removing a pod then adding it back restores the state. An error
 * status stops the caller (the cycle fails and the pod is retried after backoff).
 */
public interface PreFilterExtensions extends PreFilterPlugin {

    /** {@code podToAdd} now runs on {@code node}: count it as PreFilter would have for {@code podToSchedule}. */
    Status addPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node, ClusterView cluster);

    /** {@code podToRemove} no longer runs on {@code node}: uncount it. */
    Status removePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node, ClusterView cluster);
}
