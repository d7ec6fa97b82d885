package io.kube4j.controller.podgc;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.kube4j.controller.pods.Pods;
import io.kube4j.controller.pods.Times;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One sweep of the pod garbage collector, decided on what the caches hold, as kube-controller-manager's
 * {@code podgc} controller decides it:
 * <ol>
 *   <li>terminated pods (Succeeded or Failed) beyond the threshold go, oldest first;</li>
 *   <li>pods bound to a node that has not existed for the whole quarantine (a node missing from the
 *       cache is only a suspect: the executor confirms with the API before acting) are failed and
 *       removed;</li>
 *   <li>terminating pods on a node that is not Ready and carries the
 *       {@code node.kubernetes.io/out-of-service} taint are removed;</li>
 *   <li>terminating pods that were never scheduled are removed.</li>
 * </ol>
 * Pure: the missing-since map is the caller's memory between sweeps, returned updated.
 *
 * @param deleteTerminated   terminated pods to remove (grace period 0)
 * @param suspectNodes       nodes missing from the cache for at least the quarantine: confirm, then fail and remove their pods
 * @param podsOnSuspectNodes the pods bound to each of {@code suspectNodes}
 * @param forceDelete        terminating pods to remove at once (out-of-service node, or never scheduled)
 * @param missingSince       nodes pods are bound to that the cache does not have, and since when
 * @param nextSweep          how long until a suspect node's quarantine ends, or null when none is waiting
 */
public record PodGcPlan(
        List<Pod> deleteTerminated,
        Set<String> suspectNodes,
        Map<String, List<Pod>> podsOnSuspectNodes,
        List<Pod> forceDelete,
        Map<String, Instant> missingSince,
        Duration nextSweep) {

    static final String OUT_OF_SERVICE = "node.kubernetes.io/out-of-service";

    /**
     * @param threshold terminated pods kept before the oldest are removed; 0 or less keeps them all
     * @param previouslyMissing the {@link #missingSince} of the previous sweep (empty at first)
     */
    public static PodGcPlan plan(Collection<Pod> pods, Map<String, Node> nodes, Map<String, Instant> previouslyMissing,
                                 int threshold, Duration quarantine, Instant now) {
        List<Pod> terminated = new ArrayList<>();
        List<Pod> forceDelete = new ArrayList<>();
        Map<String, List<Pod>> byMissingNode = new HashMap<>();
        for (Pod pod : pods) {
            String phase = Pods.phase(pod);
            if ("Succeeded".equals(phase) || "Failed".equals(phase)) terminated.add(pod);
            boolean terminating = pod.getMetadata().getDeletionTimestamp() != null;
            if (!Pods.isAssigned(pod)) {
                if (terminating) forceDelete.add(pod);
                continue;
            }
            Node node = nodes.get(pod.getSpec().getNodeName());
            if (node == null) {
                byMissingNode.computeIfAbsent(pod.getSpec().getNodeName(), n -> new ArrayList<>()).add(pod);
            } else if (terminating && isOutOfService(node)) {
                forceDelete.add(pod);
            }
        }

        List<Pod> deleteTerminated = List.of();
        if (threshold > 0 && terminated.size() > threshold) {
            terminated.sort(Comparator.comparing((Pod p) -> created(p)).thenComparing(p -> p.getMetadata().getName()));
            deleteTerminated = List.copyOf(terminated.subList(0, terminated.size() - threshold));
        }

        Map<String, Instant> missingSince = new LinkedHashMap<>();
        Set<String> suspects = new TreeSet<>();
        Map<String, List<Pod>> onSuspects = new HashMap<>();
        Duration next = null;
        for (var entry : byMissingNode.entrySet()) {
            Instant since = previouslyMissing.getOrDefault(entry.getKey(), now);
            missingSince.put(entry.getKey(), since);
            Duration left = Duration.between(now, since.plus(quarantine));
            if (left.isNegative() || left.isZero()) {
                suspects.add(entry.getKey());
                onSuspects.put(entry.getKey(), List.copyOf(entry.getValue()));
            } else if (next == null || left.compareTo(next) < 0) {
                next = left;
            }
        }
        return new PodGcPlan(deleteTerminated, suspects, onSuspects, List.copyOf(forceDelete), missingSince, next);
    }

    /** Not Ready and tainted out-of-service (with any effect), as kube's podgc requires both. */
    static boolean isOutOfService(Node node) {
        boolean tainted = node.getSpec() != null && node.getSpec().getTaints() != null
                && node.getSpec().getTaints().stream().map(Taint::getKey).anyMatch(OUT_OF_SERVICE::equals);
        if (!tainted) return false;
        List<NodeCondition> conditions = node.getStatus() == null || node.getStatus().getConditions() == null
                ? List.of() : node.getStatus().getConditions();
        return conditions.stream().noneMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static Instant created(Pod pod) {
        Instant created = Times.parse(pod.getMetadata().getCreationTimestamp());
        return created == null ? Instant.EPOCH : created;
    }
}
