package io.kube4j.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.scheduler.cache.Snapshot;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.FilterPlugin;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.PreFilterExtensions;
import io.kube4j.scheduler.framework.PreFilterPlugin;
import io.kube4j.scheduler.framework.PreFilterResult;
import io.kube4j.scheduler.framework.PreScorePlugin;
import io.kube4j.scheduler.framework.ScorePlugin;
import io.kube4j.scheduler.framework.Status;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs one plugin's extension points as the framework would, on pure inputs. */
final class PluginHarness {

    private PluginHarness() {
    }

    /** PreFilter (if the plugin has one) over all nodes, then Filter on each node: the status by node name. */
    static Map<String, Status> filter(FilterPlugin plugin, Pod pod, List<NodeInfo> nodes) {
        PodInfo info = PodInfo.of(pod);
        Snapshot snapshot = Snapshot.of(nodes);
        CycleState state = new CycleState();
        Map<String, Status> out = new LinkedHashMap<>();
        if (plugin instanceof PreFilterPlugin pre) {
            PreFilterResult r = pre.preFilter(state, info, snapshot);
            if (r.status().isRejection()) {
                for (NodeInfo n : nodes) out.put(n.name(), r.status());
                return out;
            }
            if (r.status().isSkip()) {
                for (NodeInfo n : nodes) out.put(n.name(), Status.SUCCESS);
                return out;
            }
        }
        for (NodeInfo n : nodes) out.put(n.name(), plugin.filter(state, info, n));
        return out;
    }

    /** Just the rejection reason by node name ("" for success). */
    static Map<String, String> reasons(FilterPlugin plugin, Pod pod, List<NodeInfo> nodes) {
        Map<String, String> out = new LinkedHashMap<>();
        filter(plugin, pod, nodes).forEach((n, s) -> out.put(n, s.message()));
        return out;
    }

    /**
     * The Filter reasons by node ("" for success) once the pod of {@code removedKey} is taken off node {@code on}
     * through the plugin's RemovePod extension, on copies of the state and the node as preemption takes it; then
     * the reasons once it is put back through AddPod. Nothing the caller passed is changed.
     */
    static <P extends PreFilterExtensions & FilterPlugin> List<Map<String, String>> reasonsWithoutThenWith(
            P plugin, Pod pod, List<NodeInfo> nodes, String on, String removedKey) {
        PodInfo info = PodInfo.of(pod);
        Snapshot snapshot = Snapshot.of(nodes);
        CycleState cycle = new CycleState();
        boolean skipped = plugin.preFilter(cycle, info, snapshot).status().isSkip();
        CycleState state = cycle.copy();
        NodeInfo changed = snapshot.node(on).copy();
        PodInfo removed = changed.pods().stream().filter(p -> p.key().equals(removedKey)).findFirst().orElseThrow();
        changed.removePod(removedKey);
        if (!skipped) assertSuccess(plugin.removePod(state, info, removed, changed, snapshot));
        Map<String, String> without = reasonsOn(plugin, state, info, nodes, changed, skipped);
        changed.addPod(removed);
        if (!skipped) assertSuccess(plugin.addPod(state, info, removed, changed, snapshot));
        return List.of(without, reasonsOn(plugin, state, info, nodes, changed, skipped));
    }

    private static void assertSuccess(Status s) {
        if (!s.isSuccess()) throw new AssertionError("extension failed: " + s);
    }

    private static Map<String, String> reasonsOn(FilterPlugin plugin, CycleState state, PodInfo pod, List<NodeInfo> nodes,
                                                 NodeInfo changed, boolean skipped) {
        Map<String, String> out = new LinkedHashMap<>();
        for (NodeInfo n : nodes) {
            NodeInfo node = n.name().equals(changed.name()) ? changed : n;
            out.put(n.name(), skipped ? "" : plugin.filter(state, pod, node).message());
        }
        return out;
    }

    /** The nodes, copied, with the pod of {@code removedKey} taken off node {@code on}. */
    static List<NodeInfo> without(List<NodeInfo> nodes, String on, String removedKey) {
        return nodes.stream().map(n -> {
            NodeInfo c = n.copy();
            if (n.name().equals(on)) c.removePod(removedKey);
            return c;
        }).toList();
    }

    /** PreScore (if any) then Score and normalisation over the nodes: the final score by node name. */
    static Map<String, Long> score(ScorePlugin plugin, Pod pod, List<NodeInfo> nodes) {
        return score(plugin, pod, nodes, nodes);
    }

    static Map<String, Long> score(ScorePlugin plugin, Pod pod, List<NodeInfo> feasible, List<NodeInfo> all) {
        PodInfo info = PodInfo.of(pod);
        CycleState state = new CycleState();
        Map<String, Long> out = new LinkedHashMap<>();
        if (plugin instanceof PreScorePlugin pre) {
            Status s = pre.preScore(state, info, feasible, Snapshot.of(all));
            if (s.isSkip()) {
                for (NodeInfo n : feasible) out.put(n.name(), 0L);
                return out;
            }
        }
        long[] scores = new long[feasible.size()];
        for (int i = 0; i < scores.length; i++) scores[i] = plugin.score(state, info, feasible.get(i));
        plugin.normalizeScores(state, info, feasible, scores);
        for (int i = 0; i < scores.length; i++) out.put(feasible.get(i).name(), scores[i]);
        return out;
    }
}
