package io.kube4j.scheduler.framework;

/**
 * Decides whether a pod may run on one node. A pure function of the pod, the node (with its pods) and what this
 * plugin's PreFilter stored in the cycle state.
 *
 * <p>Called for many nodes, possibly in parallel: it must only read. It answers {@link Status#SUCCESS} or a
 * rejection whose reasons are the texts kube-scheduler shows ({@code Insufficient cpu}); an exception is an
 * internal error of the cycle.
 */
public interface FilterPlugin extends Plugin {

    Status filter(CycleState state, PodInfo pod, NodeInfo node);
}
