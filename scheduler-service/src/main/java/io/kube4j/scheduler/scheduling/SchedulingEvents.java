package io.kube4j.scheduler.scheduling;

import io.kube4j.scheduler.framework.PodInfo;

/**
 * Where the scheduler reports its decisions, as kube-scheduler's event recorder: {@code Scheduled} and
 * {@code FailedScheduling} Events. Called from the scheduling and binding threads; must not block for long and
 * must not throw (a lost event does not undo a decision).
 */
public interface SchedulingEvents {

    SchedulingEvents NONE = new SchedulingEvents() {
        @Override
        public void scheduled(PodInfo pod, String nodeName) {
        }

        @Override
        public void failedScheduling(PodInfo pod, String message) {
        }
    };

    /** The pod was bound: {@code Successfully assigned ns/name to node}. */
    void scheduled(PodInfo pod, String nodeName);

    /** The pod could not be placed (or bound); {@code message} is the summary users read. */
    void failedScheduling(PodInfo pod, String message);
}
