package io.kube4j.scheduler.plugins.tainttoleration;

import io.kube4j.scheduler.framework.ClusterEvent;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.FilterPlugin;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.PreScorePlugin;
import io.kube4j.scheduler.framework.ScorePlugin;
import io.kube4j.scheduler.framework.Status;
import io.kube4j.scheduler.framework.ClusterView;

import java.util.List;

/**
 * Filter: a node with a {@code NoSchedule} or {@code NoExecute} taint the pod does not tolerate is rejected with
 * {@code node(s) had untolerated taint {key: value}}. Score: fewer untolerated {@code PreferNoSchedule} taints
 * score higher (counts normalised in reverse).
 */
public final class TaintToleration implements FilterPlugin, PreScorePlugin, ScorePlugin {

    public static final String NAME = "TaintToleration";
    private static final String STATE_KEY = "PreScore" + NAME;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public java.util.Set<ClusterEvent> eventsToRegister() {
        return java.util.EnumSet.of(ClusterEvent.NODE_ADD, ClusterEvent.NODE_UPDATE);
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        Taint taint = Tolerations.firstUntolerated(node.taints(), pod.tolerations(),
                t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect()));
        if (taint == null) return Status.SUCCESS;
        return Status.unresolvable("node(s) had untolerated taint {" + taint.getKey() + ": "
                + (taint.getValue() == null ? "" : taint.getValue()) + "}");
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes, ClusterView cluster) {
        List<Toleration> preferNoSchedule = pod.tolerations().stream()
                .filter(t -> t.getEffect() == null || t.getEffect().isEmpty() || "PreferNoSchedule".equals(t.getEffect()))
                .toList();
        state.write(STATE_KEY, preferNoSchedule);
        return Status.SUCCESS;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        List<Toleration> tolerations = state.read(STATE_KEY);
        if (tolerations == null) tolerations = pod.tolerations();
        long count = 0;
        for (Taint taint : node.taints()) {
            if ("PreferNoSchedule".equals(taint.getEffect()) && !Tolerations.toleratedByAny(tolerations, taint)) count++;
        }
        return count;
    }

    @Override
    public void normalizeScores(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
        ScorePlugin.defaultNormalize(MAX_NODE_SCORE, true, scores);
    }
}
