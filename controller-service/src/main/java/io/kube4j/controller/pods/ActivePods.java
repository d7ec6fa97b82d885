package io.kube4j.controller.pods;

import io.fabric8.kubernetes.api.model.Pod;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The order in which a controller gives up pods when it scales down, kube's ActivePodsWithRanks:
 * the first pod of the sorted list goes first. Earlier means, in turn: not yet on a node; Pending,
 * then Unknown, then Running; not Ready; on a node crowded with more pods of the same workload
 * (its rank); Ready for less time; more container restarts; created more recently.
 */
public final class ActivePods {

    private ActivePods() {}

    /** The {@code count} pods of {@code candidates} to delete first; {@code related} are all the workload's pods, for ranks. */
    public static List<Pod> toDelete(List<Pod> candidates, List<Pod> related, int count) {
        if (count >= candidates.size()) return List.copyOf(candidates);
        Map<String, Integer> onNode = new HashMap<>();
        for (Pod pod : related) {
            if (Pods.isActive(pod)) onNode.merge(nodeName(pod), 1, Integer::sum);
        }
        List<Pod> sorted = new ArrayList<>(candidates);
        sorted.sort(order(pod -> onNode.getOrDefault(nodeName(pod), 0)));
        return List.copyOf(sorted.subList(0, count));
    }

    /** The deletion order with {@code rank} giving each pod's count of sibling pods on its node. */
    public static Comparator<Pod> order(java.util.function.ToIntFunction<Pod> rank) {
        return (a, b) -> {
            boolean assignedA = Pods.isAssigned(a), assignedB = Pods.isAssigned(b);
            if (!nodeName(a).equals(nodeName(b)) && (!assignedA || !assignedB)) return assignedA ? 1 : -1;
            int phase = Integer.compare(phaseOrdinal(a), phaseOrdinal(b));
            if (phase != 0) return phase;
            boolean readyA = Pods.isReady(a), readyB = Pods.isReady(b);
            if (readyA != readyB) return readyA ? 1 : -1;
            int ranks = Integer.compare(rank.applyAsInt(b), rank.applyAsInt(a));
            if (ranks != 0) return ranks;
            if (readyA) {
                int since = laterOrUnknownFirst(Pods.readySince(a), Pods.readySince(b));
                if (since != 0) return since;
            }
            int restarts = Integer.compare(Pods.maxRestarts(b), Pods.maxRestarts(a));
            if (restarts != 0) return restarts;
            return laterOrUnknownFirst(Times.parse(a.getMetadata().getCreationTimestamp()),
                    Times.parse(b.getMetadata().getCreationTimestamp()));
        };
    }

    private static int laterOrUnknownFirst(Instant a, Instant b) {
        if (a == null || b == null) return a == null && b == null ? 0 : a == null ? -1 : 1;
        return b.compareTo(a);
    }

    private static int phaseOrdinal(Pod pod) {
        return switch (Pods.phase(pod)) {
            case "Unknown" -> 1;
            case "Running" -> 2;
            default -> 0;
        };
    }

    private static String nodeName(Pod pod) {
        return Pods.isAssigned(pod) ? pod.getSpec().getNodeName() : "";
    }
}
