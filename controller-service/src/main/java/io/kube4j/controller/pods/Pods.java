package io.kube4j.controller.pods;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** What the workload controllers read off a pod, with kube-controller-manager's definitions. */
public final class Pods {

    private Pods() {}

    /** Not finished and not being deleted: a pod that counts towards a controller's replicas. */
    public static boolean isActive(Pod pod) {
        String phase = phase(pod);
        return !"Succeeded".equals(phase) && !"Failed".equals(phase) && pod.getMetadata().getDeletionTimestamp() == null;
    }

    public static String phase(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "" : pod.getStatus().getPhase();
    }

    public static boolean isAssigned(Pod pod) {
        return pod.getSpec() != null && pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty();
    }

    /** The pod's {@code Ready} condition when it is True, else null. */
    public static PodCondition readyCondition(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) return null;
        for (PodCondition c : pod.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) return "True".equals(c.getStatus()) ? c : null;
        }
        return null;
    }

    public static boolean isReady(Pod pod) {
        return readyCondition(pod) != null;
    }

    /** Since when the pod has been Ready, or null when it is not (or does not say). */
    public static Instant readySince(Pod pod) {
        PodCondition ready = readyCondition(pod);
        return ready == null ? null : Times.parse(ready.getLastTransitionTime());
    }

    /**
     * Ready for at least {@code minReadySeconds} at {@code now}: kube's IsPodAvailable. A Ready pod
     * without a transition time counts as available only when minReadySeconds is 0.
     */
    public static boolean isAvailable(Pod pod, int minReadySeconds, Instant now) {
        if (!isReady(pod)) return false;
        if (minReadySeconds == 0) return true;
        Instant since = readySince(pod);
        return since != null && !since.plus(Duration.ofSeconds(minReadySeconds)).isAfter(now);
    }

    /** The restarts of the pod's most restarted container. */
    public static int maxRestarts(Pod pod) {
        if (pod.getStatus() == null) return 0;
        int max = 0;
        for (List<ContainerStatus> statuses : List.of(nullToEmpty(pod.getStatus().getContainerStatuses()),
                nullToEmpty(pod.getStatus().getInitContainerStatuses()))) {
            for (ContainerStatus s : statuses) max = Math.max(max, s.getRestartCount() == null ? 0 : s.getRestartCount());
        }
        return max;
    }

    private static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
