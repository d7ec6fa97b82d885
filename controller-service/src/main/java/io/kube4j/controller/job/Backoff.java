package io.kube4j.controller.job;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.kube4j.controller.pods.Pods;
import io.kube4j.controller.pods.Times;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The delay before a Job replaces a failed pod, as kube's job controller computes it: 10 s after
 * the first failure since the last success, doubling with each further one, at most six minutes,
 * counted from the latest failure. Pure functions over the Job's pods.
 */
public final class Backoff {

    static final Duration BASE = Duration.ofSeconds(10);
    static final Duration MAX = Duration.ofMinutes(6);

    private Backoff() {}

    /** The delay after {@code failures} consecutive failures: 0 for none, then 10 s, 20 s, 40 s, … up to 6 min. */
    public static Duration delay(int failures) {
        if (failures <= 0) return Duration.ZERO;
        if (failures > 16) return MAX;
        Duration d = BASE.multipliedBy(1L << (failures - 1));
        return d.compareTo(MAX) > 0 ? MAX : d;
    }

    /** How long, at {@code now}, new pods must still wait given the finished pods among {@code pods}; zero when they need not. */
    public static Duration remaining(List<Pod> pods, Instant now) {
        Instant lastSuccess = null;
        for (Pod pod : pods) {
            if ("Succeeded".equals(Pods.phase(pod))) lastSuccess = later(lastSuccess, finishTime(pod));
        }
        int failures = 0;
        Instant lastFailure = null;
        for (Pod pod : pods) {
            if (!"Failed".equals(Pods.phase(pod))) continue;
            Instant finished = finishTime(pod);
            if (lastSuccess != null && !finished.isAfter(lastSuccess)) continue;
            failures++;
            lastFailure = later(lastFailure, finished);
        }
        if (failures == 0) return Duration.ZERO;
        Duration left = Duration.between(now, lastFailure.plus(delay(failures)));
        return left.isNegative() ? Duration.ZERO : left;
    }

    /**
     * When a finished pod finished: its containers' latest termination, else when it stopped being
     * Ready, else its deletion, else its creation — kube's order of fallbacks.
     */
    static Instant finishTime(Pod pod) {
        Instant latest = null;
        if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
            for (ContainerStatus s : pod.getStatus().getContainerStatuses()) {
                if (s.getState() != null && s.getState().getTerminated() != null) {
                    latest = later(latest, Times.parse(s.getState().getTerminated().getFinishedAt()));
                }
            }
        }
        if (latest != null) return latest;
        if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
            for (PodCondition c : pod.getStatus().getConditions()) {
                if ("Ready".equals(c.getType()) && "False".equals(c.getStatus())) latest = Times.parse(c.getLastTransitionTime());
            }
        }
        if (latest != null) return latest;
        Instant deleted = Times.parse(pod.getMetadata().getDeletionTimestamp());
        if (deleted != null) return deleted;
        Instant created = Times.parse(pod.getMetadata().getCreationTimestamp());
        return created != null ? created : Instant.EPOCH;
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) return b;
        if (b == null) return a;
        return b.isAfter(a) ? b : a;
    }
}
