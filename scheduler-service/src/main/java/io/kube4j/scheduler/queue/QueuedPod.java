package io.kube4j.scheduler.queue;

import io.kube4j.scheduler.framework.PodInfo;

import java.util.Set;

/**
 * A pod waiting in the scheduling queue, with what the queue needs to order and retry it.
 *
 * @param pod                  the pod
 * @param enqueuedNanos        when it entered the active queue last (orders pods of equal priority)
 * @param attempts             how many times it was popped for scheduling
 * @param unschedulablePlugins the plugins that rejected it last time (empty: any event may help)
 * @param lastFailureNanos     when its last attempt failed (backoff counts from there)
 */
public record QueuedPod(PodInfo pod, long enqueuedNanos, int attempts, Set<String> unschedulablePlugins,
                        long lastFailureNanos) {

    public String key() {
        return pod.key();
    }

    QueuedPod withPod(PodInfo p) {
        return new QueuedPod(p, enqueuedNanos, attempts, unschedulablePlugins, lastFailureNanos);
    }
}
