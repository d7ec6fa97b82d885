package io.kube4j.scheduler.plugins.nodeaffinity;

import io.kube4j.scheduler.framework.ClusterEvent;
import io.kube4j.scheduler.framework.ClusterView;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.FilterPlugin;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.PreFilterPlugin;
import io.kube4j.scheduler.framework.PreFilterResult;
import io.kube4j.scheduler.framework.PreScorePlugin;
import io.kube4j.scheduler.framework.ScorePlugin;
import io.kube4j.scheduler.framework.Status;

import java.util.List;
import java.util.Set;

/**
 * Filter: the pod's {@code nodeSelector} and required node affinity must both match the node (rejected with
 * {@code node(s) didn't match Pod's node affinity/selector}); PreFilter narrows the nodes to those named when the
 * affinity only names nodes by {@code metadata.name}. Score: the sum of the weights of the preferred terms the
 * node matches, normalised to the best node.
 */
public final class NodeAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {

    public static final String NAME = "NodeAffinity";
    public static final String REASON = "node(s) didn't match Pod's node affinity/selector";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public java.util.Set<ClusterEvent> eventsToRegister() {
        return java.util.EnumSet.of(ClusterEvent.NODE_ADD, ClusterEvent.NODE_UPDATE);
    }

    @Override
    public PreFilterResult preFilter(CycleState state, PodInfo pod, ClusterView cluster) {
        if (pod.nodeSelector().isEverything() && pod.requiredNodeAffinity() == null) return PreFilterResult.SKIP;
        if (pod.requiredNodeAffinity() != null) {
            Set<String> names = pod.requiredNodeAffinity().onlyNodeNames();
            if (names != null) {
                if (names.isEmpty()) return PreFilterResult.of(Status.unresolvable(REASON));
                return new PreFilterResult(Status.SUCCESS, names);
            }
        }
        return PreFilterResult.SUCCESS;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        return pod.matchesNodeSelectorAndAffinity(node.name(), node.labels()) ? Status.SUCCESS : Status.unresolvable(REASON);
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes, ClusterView cluster) {
        return pod.preferredNodeAffinity().isEmpty() ? Status.SKIP : Status.SUCCESS;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        long total = 0;
        for (PodInfo.PreferredNodeTerm t : pod.preferredNodeAffinity()) {
            if (t.matcher().matches(node.name(), node.labels())) total += t.weight();
        }
        return total;
    }

    @Override
    public void normalizeScores(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
        ScorePlugin.defaultNormalize(MAX_NODE_SCORE, false, scores);
    }
}
