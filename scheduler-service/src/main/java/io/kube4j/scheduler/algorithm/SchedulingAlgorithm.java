package io.kube4j.scheduler.algorithm;

import io.kube4j.scheduler.framework.ClusterView;
import io.kube4j.scheduler.framework.Code;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.Framework;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.Parallelizer;
import io.kube4j.scheduler.framework.PreFilterResult;
import io.kube4j.scheduler.framework.Status;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * The decision for one pod, as kube-scheduler's {@code schedulePod}: PreFilter; Filter over the nodes starting
 * where the last cycle stopped, until enough feasible nodes are found ({@link #numFeasibleNodesToFind}); PreScore
 * and Score over those; the highest total wins, ties broken at random.
 *
 * <p>Called from the single scheduling thread (it keeps the round-robin start index); Filter and Score calls may
 * fan out to the {@link Parallelizer}.
 */
public final class SchedulingAlgorithm {

    /** Below this many nodes every node is filtered. */
    public static final int MIN_FEASIBLE_NODES_TO_FIND = 100;
    /** The adaptive percentage never goes below this. */
    public static final int MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

    private final int percentageOfNodesToScore;
    private final Parallelizer parallelizer;
    private final int parallelFilterThreshold;
    private final RandomGenerator random;
    private int nextStartNodeIndex;

    /**
     * @param percentageOfNodesToScore the scheduler-wide percentage; 0 is adaptive
     * @param parallelizer             where Filter and Score fan out; null runs everything on the calling thread
     * @param parallelFilterThreshold  fewer nodes than this are filtered on the calling thread
     * @param random                   breaks ties between the best nodes
     */
    public SchedulingAlgorithm(int percentageOfNodesToScore, Parallelizer parallelizer, int parallelFilterThreshold,
                               RandomGenerator random) {
        this.percentageOfNodesToScore = percentageOfNodesToScore;
        this.parallelizer = parallelizer != null && parallelizer.parallelism() > 1 ? parallelizer : null;
        this.parallelFilterThreshold = parallelFilterThreshold;
        this.random = random;
    }

    /**
     * How many feasible nodes to look for among {@code numAllNodes}: all below 100 nodes; else the percentage
     * (the profile's, else the scheduler's; 0 means adaptive: 50% minus 1% per 125 nodes, at least 5%), at
     * least 100.
     */
    public static int numFeasibleNodesToFind(Integer profilePercentage, int globalPercentage, int numAllNodes) {
        if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
        int percentage = profilePercentage != null ? profilePercentage : globalPercentage;
        if (percentage == 0) {
            percentage = 50 - numAllNodes / 125;
            if (percentage < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) percentage = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
        }
        if (percentage >= 100) return numAllNodes;
        int num = (int) ((long) numAllNodes * percentage / 100);
        return Math.max(num, MIN_FEASIBLE_NODES_TO_FIND);
    }

    public ScheduleResult schedule(Framework fwk, CycleState state, io.kube4j.scheduler.framework.PodInfo pod,
                                   ClusterView cluster) {
        List<NodeInfo> all = cluster.nodes();
        if (all.isEmpty()) {
            return new ScheduleResult.Unschedulable(new FitError(0, Map.of(), Set.of(), "no nodes available to schedule pods", null));
        }
        PreFilterResult pre = fwk.runPreFilterPlugins(state, pod, cluster);
        if (!pre.status().isSuccess()) {
            Status s = pre.status();
            if (s.code() == Code.ERROR) return new ScheduleResult.Failed(s);
            Map<String, Status> statuses = new HashMap<>();
            for (NodeInfo n : all) statuses.put(n.name(), s);
            return new ScheduleResult.Unschedulable(new FitError(all.size(), statuses,
                    s.plugin() == null ? Set.of() : Set.of(s.plugin()), s.message(), null));
        }

        List<NodeInfo> candidates = all;
        boolean restricted = pre.nodeNames() != null;
        if (restricted) {
            candidates = new ArrayList<>();
            for (String name : pre.nodeNames()) {
                NodeInfo n = cluster.node(name);
                if (n != null) candidates.add(n);
            }
        }
        Map<String, Status> statuses = new HashMap<>(Math.max(16, candidates.size() * 4 / 3));
        Set<String> rejectingPlugins = new HashSet<>();
        List<NodeInfo> feasible;
        try {
            feasible = findFeasible(fwk, state, pod, cluster, candidates, restricted, all.size(), statuses, rejectingPlugins);
        } catch (FilterError e) {
            return new ScheduleResult.Failed(e.status);
        }
        if (feasible.isEmpty()) {
            return new ScheduleResult.Unschedulable(new FitError(all.size(), statuses, rejectingPlugins, null, null));
        }
        int evaluated = feasible.size() + statuses.size();
        if (feasible.size() == 1) return new ScheduleResult.Scheduled(feasible.getFirst().name(), evaluated, 1);

        Status s = fwk.runPreScorePlugins(state, pod, feasible, cluster);
        if (!s.isSuccess()) return new ScheduleResult.Failed(s);
        long[] totals = fwk.hasScorePlugins()
                ? fwk.runScorePlugins(state, pod, feasible, feasible.size() >= parallelFilterThreshold ? parallelizer : null)
                : new long[feasible.size()];
        return new ScheduleResult.Scheduled(feasible.get(selectHost(totals)).name(), evaluated, feasible.size());
    }

    /** The index of the highest total; among equal ones each is equally likely (reservoir sampling). */
    int selectHost(long[] totals) {
        int best = 0;
        int ties = 1;
        for (int i = 1; i < totals.length; i++) {
            if (totals[i] > totals[best]) {
                best = i;
                ties = 1;
            } else if (totals[i] == totals[best]) {
                ties++;
                if (random.nextInt(ties) == 0) best = i;
            }
        }
        return best;
    }

    private static final class FilterError extends RuntimeException {
        final Status status;

        FilterError(Status status) {
            super(status.message(), null, false, false);
            this.status = status;
        }
    }

    private List<NodeInfo> findFeasible(Framework fwk, CycleState state, io.kube4j.scheduler.framework.PodInfo pod,
                                        ClusterView cluster, List<NodeInfo> nodes, boolean restricted, int numAllNodes,
                                        Map<String, Status> statuses, Set<String> rejectingPlugins) {
        int n = nodes.size();
        int toFind = restricted ? n : numFeasibleNodesToFind(fwk.percentageOfNodesToScore(), percentageOfNodesToScore, n);
        int start = restricted ? 0 : nextStartNodeIndex % n;
        if (!fwk.hasFilterPlugins()) {
            List<NodeInfo> feasible = new ArrayList<>(toFind);
            for (int i = 0; i < toFind; i++) feasible.add(nodes.get((start + i) % n));
            if (!restricted) nextStartNodeIndex = (start + toFind) % n;
            return feasible;
        }
        NodeInfo[] fit = new NodeInfo[n];
        Status[] rejected = new Status[n];
        AtomicInteger found = new AtomicInteger();
        AtomicInteger processed = new AtomicInteger();
        java.util.function.IntPredicate check = i -> {
            NodeInfo node = nodes.get((start + i) % n);
            Status s = fwk.runFilterPluginsWithNominatedPods(state, pod, node, cluster);
            if (s.isSuccess()) {
                if (found.incrementAndGet() > toFind) {
                    found.decrementAndGet();
                    return false;
                }
                fit[i] = node;
            } else if (s.code() == Code.ERROR) {
                throw new FilterError(s);
            } else {
                rejected[i] = s;
            }
            processed.incrementAndGet();
            return found.get() < toFind;
        };
        if (parallelizer != null && n >= parallelFilterThreshold) {
            parallelizer.until(n, check);
        } else {
            for (int i = 0; i < n; i++) if (!check.test(i)) break;
        }
        List<NodeInfo> feasible = new ArrayList<>(Math.min(toFind, n));
        for (int i = 0; i < n; i++) {
            if (fit[i] != null) {
                feasible.add(fit[i]);
            } else if (rejected[i] != null) {
                NodeInfo node = nodes.get((start + i) % n);
                statuses.put(node.name(), rejected[i]);
                if (rejected[i].plugin() != null) rejectingPlugins.add(rejected[i].plugin());
            }
        }
        if (!restricted) nextStartNodeIndex = (start + processed.get()) % n;
        return feasible;
    }
}
