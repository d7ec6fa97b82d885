package io.kube4j.scheduler.plugins.defaultpreemption;

import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.Status;

import java.util.List;

/**
 * What a decided preemption does to the cluster, as kube-scheduler's {@code prepareCandidate}: each victim deleted
 * with a {@code Preempted} event on it, the preemptor's {@code status.nominatedNodeName} set to the node, and the
 * nominations of lower-priority pods to that node cleared (their room is now the preemptor's).
 *
 * <p>Called on the scheduling thread and may block for the writes. Idempotent: a victim already gone counts as
 * evicted. A failure answers an error status; the preemptor is then retried after backoff.
 */
public interface PreemptionActions {

    /** Does nothing, for benchmarks and tests that only look at the decision. */
    PreemptionActions NONE = (preemptor, node, victims, displaced) -> Status.SUCCESS;

    /**
     * @param displaced pending pods of lower priority that were nominated to {@code nodeName}: their nomination is
     *                  cleared
     */
    Status preempt(PodInfo preemptor, String nodeName, List<PodInfo> victims, List<PodInfo> displaced);
}
