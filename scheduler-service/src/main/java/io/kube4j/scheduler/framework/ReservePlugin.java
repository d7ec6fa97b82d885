package io.kube4j.scheduler.framework;

/**
 * Told when the scheduler has chosen a node and reserved it in its cache for the pod ({@link #reserve}), and when
 * that reservation is dropped because a later step failed ({@link #unreserve}). Called from the scheduling or
 * binding thread, once per pod each. Unreserve must be idempotent and must not fail.
 */
public interface ReservePlugin extends Plugin {

    Status reserve(CycleState state, PodInfo pod, String nodeName);

    void unreserve(CycleState state, PodInfo pod, String nodeName);
}
