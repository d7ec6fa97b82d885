package io.kube4j.scheduler.plugins.podtopologyspread;

import io.kube4j.scheduler.framework.ClusterEvent;
import io.kube4j.scheduler.framework.ClusterView;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.FilterPlugin;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.PreFilterExtensions;
import io.kube4j.scheduler.framework.PreFilterResult;
import io.kube4j.scheduler.framework.PreScorePlugin;
import io.kube4j.scheduler.framework.ScorePlugin;
import io.kube4j.scheduler.framework.Status;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Topology spread constraints, by kube-scheduler's rules.
 *
 * <p>Filter ({@code DoNotSchedule}): a node without a constraint's topology key is rejected with
 * {@code node(s) didn't match pod topology spread constraints (missing required label)}; else the pods matching
 * the selector in the node's domain, plus one if the pod matches itself, minus the fewest in any domain (zero
 * while there are fewer domains than {@code minDomains}) must not exceed {@code maxSkew}
 * ({@code node(s) didn't match pod topology spread constraints}). Domains are the values of the key among nodes
 * that carry every constraint's key and pass the inclusion policies. PreFilter counts once; its extensions (AddPod,
 * RemovePod) keep the counts and the minimum true when preemption takes matching pods off a node or puts them back.
 *
 * <p>Score ({@code ScheduleAnyway}): fewer matching pods in the node's domain score higher, each constraint
 * weighted by the log of its domain count. System default constraints are not applied.
 */
public final class PodTopologySpread implements PreFilterExtensions, FilterPlugin, PreScorePlugin, ScorePlugin {

    public static final String NAME = "PodTopologySpread";
    public static final String REASON = "node(s) didn't match pod topology spread constraints";
    public static final String MISSING_LABEL_REASON = REASON + " (missing required label)";
    static final String HOSTNAME = "kubernetes.io/hostname";
    private static final String FILTER_KEY = "PreFilter" + NAME;
    private static final String SCORE_KEY = "PreScore" + NAME;

    /**
     * Per constraint, the matching pods per domain and the fewest in any domain (0 while there are fewer domains
     * than minDomains). The domains are fixed at PreFilter; pods added or removed change only the counts.
     */
    private record FilterState(List<SpreadConstraint> constraints, List<Map<String, Long>> counts, long[] minCounts)
            implements CycleState.StateData {

        @Override
        public FilterState copy() {
            List<Map<String, Long>> c = new java.util.ArrayList<>(counts.size());
            for (Map<String, Long> m : counts) c.add(new HashMap<>(m));
            return new FilterState(constraints, c, minCounts.clone());
        }

        /**
         * Counts {@code other} on {@code node} ({@code delta} 1) or uncounts it (-1) wherever PreFilter would have
         * counted it: same namespace as the pod, not terminating, on a node of the constraint's domains, matching
         * its selector.
         */
        void update(PodInfo pod, PodInfo other, NodeInfo node, long delta) {
            if (!other.namespace().equals(pod.namespace()) || other.terminating()) return;
            if (!SpreadConstraint.nodeHasAllKeys(node, constraints)) return;
            for (int i = 0; i < constraints.size(); i++) {
                SpreadConstraint c = constraints.get(i);
                if (!c.selector().matches(other.labels()) || !c.includes(pod, node)) continue;
                Map<String, Long> domains = counts.get(i);
                String value = node.labels().get(c.topologyKey());
                long before = domains.getOrDefault(value, 0L);
                long after = before + delta;
                domains.put(value, after);
                if (domains.size() < c.minDomains()) {
                    minCounts[i] = 0;
                } else if (after < minCounts[i]) {
                    minCounts[i] = after;
                } else if (before == minCounts[i] && after > before) {
                    minCounts[i] = minimum(domains);
                }
            }
        }
    }

    private static long minimum(Map<String, Long> domains) {
        long min = Integer.MAX_VALUE;
        for (long v : domains.values()) min = Math.min(min, v);
        return min;
    }

    private record ScoreState(List<SpreadConstraint> constraints, Set<String> ignoredNodes,
                              List<Map<String, Long>> counts, double[] weights) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public java.util.Set<ClusterEvent> eventsToRegister() {
        return java.util.EnumSet.of(ClusterEvent.NODE_ADD, ClusterEvent.NODE_UPDATE, ClusterEvent.NODE_DELETE, ClusterEvent.POD_ADD, ClusterEvent.POD_UPDATE, ClusterEvent.POD_DELETE);
    }

    @Override
    public PreFilterResult preFilter(CycleState state, PodInfo pod, ClusterView cluster) {
        List<SpreadConstraint> constraints = SpreadConstraint.of(pod, "DoNotSchedule");
        if (constraints.isEmpty()) return PreFilterResult.SKIP;
        List<Map<String, Long>> counts = new java.util.ArrayList<>();
        for (int i = 0; i < constraints.size(); i++) counts.add(new HashMap<>());
        for (NodeInfo node : cluster.nodes()) {
            if (!SpreadConstraint.nodeHasAllKeys(node, constraints)) continue;
            for (int i = 0; i < constraints.size(); i++) {
                SpreadConstraint c = constraints.get(i);
                if (!c.includes(pod, node)) continue;
                counts.get(i).merge(node.labels().get(c.topologyKey()), c.countMatching(node, pod.namespace()), Long::sum);
            }
        }
        long[] min = new long[constraints.size()];
        for (int i = 0; i < min.length; i++) {
            Map<String, Long> domains = counts.get(i);
            min[i] = domains.size() < constraints.get(i).minDomains() ? 0 : minimum(domains);
        }
        state.write(FILTER_KEY, new FilterState(constraints, counts, min));
        return PreFilterResult.SUCCESS;
    }

    @Override
    public Status addPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node, ClusterView cluster) {
        FilterState s = state.read(FILTER_KEY);
        if (s != null) s.update(podToSchedule, podToAdd, node, 1);
        return Status.SUCCESS;
    }

    @Override
    public Status removePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node,
                            ClusterView cluster) {
        FilterState s = state.read(FILTER_KEY);
        if (s != null) s.update(podToSchedule, podToRemove, node, -1);
        return Status.SUCCESS;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        FilterState s = state.read(FILTER_KEY);
        if (s == null) return Status.SUCCESS;
        for (int i = 0; i < s.constraints().size(); i++) {
            SpreadConstraint c = s.constraints().get(i);
            String value = node.labels().get(c.topologyKey());
            if (value == null) return Status.unresolvable(MISSING_LABEL_REASON);
            long self = c.selector().matches(pod.labels()) ? 1 : 0;
            long skew = s.counts().get(i).getOrDefault(value, 0L) + self - s.minCounts()[i];
            if (skew > c.maxSkew()) return Status.unschedulable(REASON);
        }
        return Status.SUCCESS;
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes, ClusterView cluster) {
        List<SpreadConstraint> constraints = SpreadConstraint.of(pod, "ScheduleAnyway");
        if (constraints.isEmpty()) return Status.SKIP;
        Set<String> ignored = new HashSet<>();
        List<Map<String, Long>> counts = new java.util.ArrayList<>();
        for (int i = 0; i < constraints.size(); i++) counts.add(new HashMap<>());
        for (NodeInfo node : feasibleNodes) {
            if (!SpreadConstraint.nodeHasAllKeys(node, constraints)) {
                ignored.add(node.name());
                continue;
            }
            for (int i = 0; i < constraints.size(); i++) {
                SpreadConstraint c = constraints.get(i);
                if (c.topologyKey().equals(HOSTNAME)) continue;
                counts.get(i).putIfAbsent(node.labels().get(c.topologyKey()), 0L);
            }
        }
        double[] weights = new double[constraints.size()];
        for (int i = 0; i < weights.length; i++) {
            int size = constraints.get(i).topologyKey().equals(HOSTNAME)
                    ? feasibleNodes.size() - ignored.size() : counts.get(i).size();
            weights[i] = Math.log(size + 2);
        }
        for (NodeInfo node : cluster.nodes()) {
            if (!SpreadConstraint.nodeHasAllKeys(node, constraints)) continue;
            for (int i = 0; i < constraints.size(); i++) {
                SpreadConstraint c = constraints.get(i);
                if (c.topologyKey().equals(HOSTNAME) || !c.includes(pod, node)) continue;
                String value = node.labels().get(c.topologyKey());
                Map<String, Long> m = counts.get(i);
                if (m.containsKey(value)) m.merge(value, c.countMatching(node, pod.namespace()), Long::sum);
            }
        }
        state.write(SCORE_KEY, new ScoreState(constraints, ignored, counts, weights));
        return Status.SUCCESS;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        ScoreState s = state.read(SCORE_KEY);
        if (s.ignoredNodes().contains(node.name())) return 0;
        double score = 0;
        for (int i = 0; i < s.constraints().size(); i++) {
            SpreadConstraint c = s.constraints().get(i);
            String value = node.labels().get(c.topologyKey());
            if (value == null) continue;
            long count = c.topologyKey().equals(HOSTNAME)
                    ? c.countMatching(node, pod.namespace()) : s.counts().get(i).getOrDefault(value, 0L);
            score += count * s.weights()[i] + (c.maxSkew() - 1);
        }
        return Math.round(score);
    }

    @Override
    public void normalizeScores(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
        ScoreState s = state.read(SCORE_KEY);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < scores.length; i++) {
            if (s.ignoredNodes().contains(nodes.get(i).name())) continue;
            min = Math.min(min, scores[i]);
            max = Math.max(max, scores[i]);
        }
        for (int i = 0; i < scores.length; i++) {
            if (s.ignoredNodes().contains(nodes.get(i).name())) {
                scores[i] = 0;
            } else if (max == 0) {
                scores[i] = MAX_NODE_SCORE;
            } else {
                scores[i] = MAX_NODE_SCORE * (max + min - scores[i]) / max;
            }
        }
    }
}
