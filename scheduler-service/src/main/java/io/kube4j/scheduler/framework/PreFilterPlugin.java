package io.kube4j.scheduler.framework;

/**
 * Runs once per pod before any Filter: computes what Filter needs for every node (counts by topology domain,
 * the pod's requests) and stores it in the cycle state, or rejects the pod outright.
 *
 * <p>Called from the scheduling thread only. A {@link Code#SKIP} answer means this plugin's Filter is not called
 * for this pod. A rejection makes every node fail with the same status.
 */
public interface PreFilterPlugin extends Plugin {

    PreFilterResult preFilter(CycleState state, PodInfo pod, ClusterView cluster);
}
