package io.kube4j.scheduler.events;

import io.kube4j.machinery.events.EventRecorder;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.scheduling.SchedulingEvents;

/**
 * The scheduler's decisions as core/v1 Events, worded as kube-scheduler words them: {@code Normal Scheduled
 * Successfully assigned ns/name to node} and {@code Warning FailedScheduling <summary>}. The recorder sets
 * {@code source.component} and {@code reportingController} ({@code default-scheduler}).
 */
public final class RecorderSchedulingEvents implements SchedulingEvents {

    private final EventRecorder recorder;
    private final PodConditions conditions;

    /** @param conditions where pods that do not fit get their PodScheduled condition; null: nowhere */
    public RecorderSchedulingEvents(EventRecorder recorder, PodConditions conditions) {
        this.recorder = recorder;
        this.conditions = conditions;
    }

    @Override
    public void scheduled(PodInfo pod, String nodeName) {
        recorder.event(pod.pod(), EventRecorder.NORMAL, "Scheduled",
                "Successfully assigned " + pod.key() + " to " + nodeName);
    }

    @Override
    public void failedScheduling(PodInfo pod, String message) {
        recorder.event(pod.pod(), EventRecorder.WARNING, "FailedScheduling", message);
        if (conditions != null) conditions.unschedulable(pod, message);
    }
}
