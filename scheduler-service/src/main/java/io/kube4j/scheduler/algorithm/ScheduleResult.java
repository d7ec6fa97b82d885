package io.kube4j.scheduler.algorithm;

import io.kube4j.scheduler.framework.Status;

/** The outcome of one scheduling attempt: a node, no fitting node, or an internal error. */
public sealed interface ScheduleResult {

    /**
     * A node was chosen.
     *
     * @param nodeName       the chosen node
     * @param evaluatedNodes how many nodes were filtered
     * @param feasibleNodes  how many of them fit
     */
    record Scheduled(String nodeName, int evaluatedNodes, int feasibleNodes) implements ScheduleResult {
    }

    /** No node fits. */
    record Unschedulable(FitError error) implements ScheduleResult {
    }

    /** A plugin failed with an error; the pod is retried with backoff. */
    record Failed(Status status) implements ScheduleResult {
    }
}
