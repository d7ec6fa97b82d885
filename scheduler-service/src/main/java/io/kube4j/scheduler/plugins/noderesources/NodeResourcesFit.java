package io.kube4j.scheduler.plugins.noderesources;

import io.kube4j.scheduler.framework.ClusterEvent;
import io.kube4j.scheduler.framework.ClusterView;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.FilterPlugin;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.PreFilterPlugin;
import io.kube4j.scheduler.framework.PreFilterResult;
import io.kube4j.scheduler.framework.Resource;
import io.kube4j.scheduler.framework.ScorePlugin;
import io.kube4j.scheduler.framework.Status;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Filter: the pod's requests must fit in what the node has left: {@code Too many pods} past its pod capacity,
 * {@code Insufficient cpu}, {@code Insufficient memory}, {@code Insufficient ephemeral-storage},
 * {@code Insufficient <extended resource>} (every shortage is reported). Score: {@link ScoringStrategy} over the
 * weighted resources, counting CPU and memory of containers without requests at kube-scheduler's defaults.
 */
public final class NodeResourcesFit implements PreFilterPlugin, FilterPlugin, ScorePlugin {

    public static final String NAME = "NodeResourcesFit";

    /**
     * The plugin's arguments ({@code NodeResourcesFitArgs}).
     *
     * @param strategy              the scoring strategy
     * @param resources             the resources scored and their weights
     * @param ignoredResources      extended resources the filter does not check
     * @param ignoredResourceGroups prefixes (before the {@code /}) of extended resources the filter does not check
     */
    public record Args(ScoringStrategy strategy, List<ResourceSpec> resources, Set<String> ignoredResources,
                       Set<String> ignoredResourceGroups) {
        public static final Args DEFAULTS = new Args(ScoringStrategy.LeastAllocated, ResourceSpec.DEFAULTS, Set.of(), Set.of());
    }

    private final Args args;

    public NodeResourcesFit(Args args) {
        this.args = args;
    }

    public NodeResourcesFit() {
        this(Args.DEFAULTS);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public java.util.Set<ClusterEvent> eventsToRegister() {
        return java.util.EnumSet.of(ClusterEvent.NODE_ADD, ClusterEvent.NODE_UPDATE, ClusterEvent.POD_DELETE);
    }

    @Override
    public PreFilterResult preFilter(CycleState state, PodInfo pod, ClusterView cluster) {
        return PreFilterResult.SUCCESS;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        List<String> reasons = insufficientResources(pod, node);
        return reasons.isEmpty() ? Status.SUCCESS : Status.unschedulable(reasons.toArray(String[]::new));
    }

    /** The reasons the pod does not fit the node, in kube-scheduler's order; empty when it fits. */
    public List<String> insufficientResources(PodInfo pod, NodeInfo node) {
        List<String> reasons = new ArrayList<>(1);
        Resource alloc = node.allocatable();
        Resource used = node.requested();
        if (node.pods().size() + 1 > alloc.allowedPods) reasons.add("Too many pods");
        Resource req = pod.requests();
        if (req.isZero()) return reasons;
        if (req.milliCpu > 0 && req.milliCpu > alloc.milliCpu - used.milliCpu) reasons.add("Insufficient cpu");
        if (req.memory > 0 && req.memory > alloc.memory - used.memory) reasons.add("Insufficient memory");
        if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
            reasons.add("Insufficient ephemeral-storage");
        }
        if (!req.scalars().isEmpty()) {
            for (Map.Entry<String, Long> e : new TreeMap<>(req.scalars()).entrySet()) {
                String name = e.getKey();
                if (e.getValue() == 0 || ignored(name)) continue;
                if (e.getValue() > alloc.get(name) - used.get(name)) reasons.add("Insufficient " + name);
            }
        }
        return reasons;
    }

    private boolean ignored(String name) {
        if (args.ignoredResources().contains(name)) return true;
        int slash = name.indexOf('/');
        return slash > 0 && args.ignoredResourceGroups().contains(name.substring(0, slash));
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        long total = 0;
        long weights = 0;
        for (ResourceSpec r : args.resources()) {
            long[] ar = ResourceAllocation.of(node, pod, r.name(), true);
            if (ar[0] == 0) continue;
            total += args.strategy().score(ar[1], ar[0]) * r.weight();
            weights += r.weight();
        }
        return weights == 0 ? 0 : total / weights;
    }
}
