package io.kube4j.scheduler.framework;

/**
 * A profile's Filter extension point as one call: whether the pod fits the node, with the first rejection
 * attributed to its plugin. What a PostFilter (preemption) uses to ask "would the pod fit if these pods were gone".
 *
 * <p>Pure with respect to its inputs: it reads the CycleState the PreFilters wrote and the NodeInfo given; it may
 * be called from any thread that owns the NodeInfo.
 */
@FunctionalInterface
public interface NodeFilter {

    Status filter(CycleState state, PodInfo pod, NodeInfo node);
}
