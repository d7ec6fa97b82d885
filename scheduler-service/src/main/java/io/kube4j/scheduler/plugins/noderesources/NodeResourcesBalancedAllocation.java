package io.kube4j.scheduler.plugins.noderesources;

import io.kube4j.scheduler.framework.ClusterView;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.PreScorePlugin;
import io.kube4j.scheduler.framework.ScorePlugin;
import io.kube4j.scheduler.framework.Status;

import java.util.List;

/**
 * Score: nodes whose resources would be used in balance (CPU fraction close to memory fraction) score higher:
 * {@code (1 - std(fractions)) * 100}, fractions capped at 1. Pods that request nothing are not scored.
 */
public final class NodeResourcesBalancedAllocation implements PreScorePlugin, ScorePlugin {

    public static final String NAME = "NodeResourcesBalancedAllocation";
    private final List<ResourceSpec> resources;

    public NodeResourcesBalancedAllocation(List<ResourceSpec> resources) {
        this.resources = List.copyOf(resources);
    }

    public NodeResourcesBalancedAllocation() {
        this(ResourceSpec.DEFAULTS);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes, ClusterView cluster) {
        for (ResourceSpec r : resources) {
            if (ResourceAllocation.podRequest(pod, r.name(), false) != 0) return Status.SUCCESS;
        }
        return Status.SKIP;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        double[] fractions = new double[resources.size()];
        int n = 0;
        double total = 0;
        for (ResourceSpec r : resources) {
            long[] ar = ResourceAllocation.of(node, pod, r.name(), false);
            if (ar[0] == 0) continue;
            double f = Math.min(1.0, (double) ar[1] / ar[0]);
            fractions[n++] = f;
            total += f;
        }
        double std = 0;
        if (n == 2) {
            std = Math.abs((fractions[0] - fractions[1]) / 2);
        } else if (n > 2) {
            double mean = total / n;
            double sum = 0;
            for (int i = 0; i < n; i++) sum += (fractions[i] - mean) * (fractions[i] - mean);
            std = Math.sqrt(sum / n);
        }
        return (long) ((1 - std) * MAX_NODE_SCORE);
    }
}
