package io.kube4j.scheduler.framework;

import java.util.Map;

/**
 * Runs when no node passed the filters, e.g. to make room by preemption. Called from the scheduling thread.
 *
 * <p>Answers a success with the node nominated for the pod, or a rejection whose message is appended to the
 * FailedScheduling summary.
 */
public interface PostFilterPlugin extends Plugin {

    /** The result: a status and the nominated node name (null when none). */
    record Result(Status status, String nominatedNode) {
    }

    /**
     * @param nodeStatuses each filtered node's rejection, by node name
     * @param filters      the profile's Filters (with the pods nominated to each node accounted), to try the pod
     *                     on a changed copy of a node and of the state (pods removed from both, or added back)
     */
    Result postFilter(CycleState state, PodInfo pod, Map<String, Status> nodeStatuses, ClusterView cluster,
                      NodeFilter filters);
}
