package io.kube4j.controller.daemonset;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.kube4j.controller.deployment.Rollouts;
import io.kube4j.controller.pods.Pods;
import io.kube4j.controller.pods.Times;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a DaemonSet's controller does in one pass, computed from the nodes and the set's pods
 * alone — kube-controller-manager's {@code manage} and {@code rollingUpdate}, and its status.
 *
 * <p>Manage: an eligible node without a pod gets one; a failed or succeeded pod is deleted (and
 * replaced on the next pass); of several pods on a node only the oldest stays (with surge, the
 * oldest updated one and, while that one is not yet available, the oldest old one that is
 * ready); pods on a node they may not stay on, or on a node that no longer exists, are deleted.
 *
 * <p>Rolling update, only when manage had nothing to do: without surge, old pods are deleted
 * (the next manage replaces them) while fewer than {@code maxUnavailable} nodes lack an available
 * updated pod — an unavailable old pod always may go; with surge, a new pod is created beside an
 * old one on up to {@code maxSurge} nodes at a time (at once where the old one is unavailable)
 * and the old one deleted when the new one is available. Nodes are taken in name order, so the
 * plan is deterministic. Pure functions.
 */
public final class DaemonSetPlan {

    /**
     * @param createOn nodes that get a new pod from the update revision
     * @param delete   pods to delete; {@code force} ones are bound to a node that is gone, whose agent will never finish them
     * @param failed   failed pods among {@code delete}, for a warning event
     */
    public record Actions(List<String> createOn, List<Pod> delete, List<Pod> force, List<Pod> failed) {
        public boolean isEmpty() {
            return createOn.isEmpty() && delete.isEmpty() && force.isEmpty();
        }
    }

    private DaemonSetPlan() {}

    /** The pass for {@code set} over {@code nodes}, its {@code owned} pods, the update revision's {@code hash}, at {@code now}. */
    public static Actions plan(DaemonSet set, PodSpec spec, List<Node> nodes, List<Pod> owned, String hash, Instant now) {
        Map<String, List<Pod>> byNode = byNode(owned);
        Map<String, Node> nodesByName = new TreeMap<>();
        nodes.forEach(n -> nodesByName.put(n.getMetadata().getName(), n));
        boolean surge = "RollingUpdate".equals(strategy(set)) && maxSurge(set, desired(spec, nodes)) > 0;

        List<String> createOn = new ArrayList<>();
        List<Pod> delete = new ArrayList<>();
        List<Pod> force = new ArrayList<>();
        List<Pod> failed = new ArrayList<>();
        for (Node node : nodesByName.values()) {
            NodeEligibility.Verdict verdict = NodeEligibility.of(spec, node);
            List<Pod> pods = byNode.getOrDefault(node.getMetadata().getName(), List.of());
            if (verdict.shouldRun() && pods.isEmpty()) {
                createOn.add(node.getMetadata().getName());
            } else if (verdict.shouldContinueRunning()) {
                List<Pod> running = new ArrayList<>();
                for (Pod pod : pods) {
                    if (pod.getMetadata().getDeletionTimestamp() != null) continue;
                    String phase = Pods.phase(pod);
                    if ("Failed".equals(phase)) {
                        delete.add(pod);
                        failed.add(pod);
                    } else if ("Succeeded".equals(phase)) {
                        delete.add(pod);
                    } else {
                        running.add(pod);
                    }
                }
                delete.addAll(surplus(set, running, hash, surge, now));
            } else {
                for (Pod pod : pods) if (pod.getMetadata().getDeletionTimestamp() == null) delete.add(pod);
            }
        }
        for (var entry : byNode.entrySet()) {
            if (nodesByName.containsKey(entry.getKey())) continue;
            for (Pod pod : entry.getValue()) {
                if (Pods.isAssigned(pod)) force.add(pod);
                else if (pod.getMetadata().getDeletionTimestamp() == null) delete.add(pod);
            }
        }
        Actions manage = new Actions(createOn, delete, force, failed);
        if (!manage.isEmpty() || !"RollingUpdate".equals(strategy(set))) return manage;
        return surge ? surgeUpdate(set, spec, nodesByName, byNode, hash, now) : rollingUpdate(set, spec, nodes, byNode, hash, now);
    }

    /** Of the live pods on one node, those beyond the one (or, surging, the two) that may stay. */
    private static List<Pod> surplus(DaemonSet set, List<Pod> running, String hash, boolean surge, Instant now) {
        if (running.size() <= 1) return List.of();
        List<Pod> sorted = new ArrayList<>(running);
        sorted.sort(OLDEST_FIRST);
        if (!surge) return sorted.subList(1, sorted.size());
        List<Pod> surplus = new ArrayList<>();
        Pod oldestNew = null, oldestOld = null;
        for (Pod pod : sorted) {
            if (updated(pod, hash)) {
                if (oldestNew == null) {
                    oldestNew = pod;
                    continue;
                }
            } else if (oldestOld == null) {
                oldestOld = pod;
                continue;
            }
            surplus.add(pod);
        }
        if (oldestNew != null && oldestOld != null
                && (!Pods.isReady(oldestOld) || Pods.isAvailable(oldestNew, minReady(set), now))) surplus.add(oldestOld);
        return surplus;
    }

    private static Actions rollingUpdate(DaemonSet set, PodSpec spec, List<Node> nodes, Map<String, List<Pod>> byNode, String hash, Instant now) {
        int maxUnavailable = maxUnavailable(set, desired(spec, nodes));
        int unavailable = 0;
        List<Pod> replace = new ArrayList<>();
        List<Pod> candidates = new ArrayList<>();
        for (List<Pod> pods : byNode.values()) {
            Pair pair = pair(pods, hash);
            if (pair == null) {
                unavailable++;
                continue;
            }
            if ((pair.old == null) == (pair.updated == null)) {
                unavailable++;
            } else if (pair.updated != null) {
                if (!Pods.isAvailable(pair.updated, minReady(set), now)) unavailable++;
            } else if (!Pods.isAvailable(pair.old, minReady(set), now)) {
                replace.add(pair.old);
            } else if (unavailable < maxUnavailable) {
                candidates.add(pair.old);
            }
        }
        int room = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.size());
        replace.addAll(candidates.subList(0, room));
        return new Actions(List.of(), replace, List.of(), List.of());
    }

    private static Actions surgeUpdate(DaemonSet set, PodSpec spec, Map<String, Node> nodes, Map<String, List<Pod>> byNode, String hash, Instant now) {
        int maxSurge = maxSurge(set, desired(spec, nodes.values()));
        int surging = 0;
        List<Pod> delete = new ArrayList<>();
        List<String> allowed = new ArrayList<>();
        List<String> candidates = new ArrayList<>();
        for (var entry : byNode.entrySet()) {
            Pair pair = pair(entry.getValue(), hash);
            if (pair == null) {
                surging++;
                continue;
            }
            if (pair.old == null) continue;
            Node node = nodes.get(entry.getKey());
            boolean eligible = node != null && NodeEligibility.of(spec, node).shouldRun();
            if (pair.updated == null) {
                if (!eligible) continue;
                if (!Pods.isAvailable(pair.old, minReady(set), now)) allowed.add(entry.getKey());
                else if (surging < maxSurge) candidates.add(entry.getKey());
            } else if (!Pods.isAvailable(pair.updated, minReady(set), now)) {
                surging++;
            } else {
                delete.add(pair.old);
            }
        }
        int room = Math.min(Math.max(0, maxSurge - surging), candidates.size());
        List<String> createOn = new ArrayList<>(allowed);
        createOn.addAll(candidates.subList(0, room));
        return new Actions(createOn, delete, List.of(), List.of());
    }

    private record Pair(Pod updated, Pod old) {}

    /** kube's findUpdatedPodsOnNode: the node's one updated and one old live pod; null when it has more of either. */
    private static Pair pair(List<Pod> pods, String hash) {
        Pod updated = null, old = null;
        for (Pod pod : pods) {
            if (pod.getMetadata().getDeletionTimestamp() != null) continue;
            if (updated(pod, hash)) {
                if (updated != null) return null;
                updated = pod;
            } else {
                if (old != null) return null;
                old = pod;
            }
        }
        return new Pair(updated, old);
    }

    /** The set's status from the nodes and pods the pass found (what it created or deleted counts from the next pass). */
    public static DaemonSetStatus status(DaemonSet set, PodSpec spec, List<Node> nodes, List<Pod> owned, String hash, Instant now) {
        // A finished pod being deleted is the kubelet's or the pod GC's to remove: kube counts it on no node.
        Map<String, List<Pod>> byNode = byNode(owned.stream().filter(p -> !(p.getMetadata().getDeletionTimestamp() != null && isTerminal(p))).toList());
        int desired = 0, current = 0, misscheduled = 0, ready = 0, available = 0, updatedCount = 0;
        for (Node node : nodes) {
            List<Pod> pods = byNode.getOrDefault(node.getMetadata().getName(), List.of());
            if (!NodeEligibility.of(spec, node).shouldRun()) {
                if (!pods.isEmpty()) misscheduled++;
                continue;
            }
            desired++;
            if (pods.isEmpty()) continue;
            current++;
            Pod pod = pods.stream().min(OLDEST_FIRST).orElseThrow();
            if (Pods.isReady(pod)) {
                ready++;
                if (Pods.isAvailable(pod, minReady(set), now)) available++;
            }
            if (updated(pod, hash)) updatedCount++;
        }
        DaemonSetStatus status = new DaemonSetStatus();
        status.setObservedGeneration(set.getMetadata().getGeneration());
        status.setDesiredNumberScheduled(desired);
        status.setCurrentNumberScheduled(current);
        status.setNumberMisscheduled(misscheduled);
        status.setNumberReady(ready);
        status.setNumberAvailable(available);
        status.setNumberUnavailable(desired - available);
        status.setUpdatedNumberScheduled(updatedCount);
        status.setCollisionCount(set.getStatus() == null ? null : set.getStatus().getCollisionCount());
        if (set.getStatus() != null) status.setConditions(set.getStatus().getConditions());
        return status;
    }

    /** The nodes where the set should run: desiredNumberScheduled, the base of maxSurge and maxUnavailable percentages. */
    static int desired(PodSpec spec, java.util.Collection<Node> nodes) {
        int n = 0;
        for (Node node : nodes) if (NodeEligibility.of(spec, node).shouldRun()) n++;
        return n;
    }

    /** kube: both rounded up from percentages, and 1 unavailable when both come out 0. */
    static int maxUnavailable(DaemonSet set, int desired) {
        var rolling = set.getSpec().getUpdateStrategy() == null ? null : set.getSpec().getUpdateStrategy().getRollingUpdate();
        IntOrString value = rolling == null || rolling.getMaxUnavailable() == null ? new IntOrString(1) : rolling.getMaxUnavailable();
        int unavailable = Rollouts.scaled(value, desired, true);
        return unavailable == 0 && maxSurge(set, desired) == 0 ? 1 : unavailable;
    }

    static int maxSurge(DaemonSet set, int desired) {
        var rolling = set.getSpec().getUpdateStrategy() == null ? null : set.getSpec().getUpdateStrategy().getRollingUpdate();
        if (rolling == null || rolling.getMaxSurge() == null) return 0;
        return Rollouts.scaled(rolling.getMaxSurge(), desired, true);
    }

    static String strategy(DaemonSet set) {
        return set.getSpec().getUpdateStrategy() == null || set.getSpec().getUpdateStrategy().getType() == null
                ? "RollingUpdate" : set.getSpec().getUpdateStrategy().getType();
    }

    static boolean updated(Pod pod, String hash) {
        return hash != null && pod.getMetadata().getLabels() != null && hash.equals(pod.getMetadata().getLabels().get(DaemonPods.HASH_LABEL));
    }

    private static boolean isTerminal(Pod pod) {
        String phase = Pods.phase(pod);
        return "Failed".equals(phase) || "Succeeded".equals(phase);
    }

    private static int minReady(DaemonSet set) {
        return set.getSpec().getMinReadySeconds() == null ? 0 : set.getSpec().getMinReadySeconds();
    }

    /** The set's pods by the node each is on or meant for, in node-name order; pods meant for no node are left out. */
    static Map<String, List<Pod>> byNode(List<Pod> pods) {
        Map<String, List<Pod>> byNode = new TreeMap<>();
        for (Pod pod : pods) {
            String node = DaemonPods.targetNode(pod);
            if (node != null) byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(pod);
        }
        return byNode;
    }

    /** kube's podByCreationTimestampAndPhase: bound pods first, then the oldest, then by name. */
    static final Comparator<Pod> OLDEST_FIRST = Comparator
            .comparing((Pod p) -> !Pods.isAssigned(p))
            .thenComparing(p -> {
                Instant created = Times.parse(p.getMetadata().getCreationTimestamp());
                return created == null ? Instant.MAX : created;
            })
            .thenComparing(p -> p.getMetadata().getName());
}
