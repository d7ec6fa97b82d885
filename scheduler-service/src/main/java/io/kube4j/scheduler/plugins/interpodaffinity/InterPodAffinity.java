package io.kube4j.scheduler.plugins.interpodaffinity;

import io.kube4j.scheduler.framework.ClusterEvent;
import io.kube4j.scheduler.framework.AffinityTerm;
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
import java.util.List;
import java.util.Map;

/**
 * Pod affinity and anti-affinity, by kube-scheduler's rules.
 *
 * <p>Filter: (1) each required affinity term needs the node to carry its topology key and a pod matching all the
 * terms in that domain, except that the first pod of a group that selects itself may go anywhere the keys exist
 * ({@code node(s) didn't match pod affinity rules}); (2) no pod matching a required anti-affinity term in the
 * node's domain ({@code node(s) didn't match pod anti-affinity rules}); (3) no existing pod whose required
 * anti-affinity selects this pod in the node's domain ({@code node(s) didn't satisfy existing pods anti-affinity
 * rules}). PreFilter counts matching pods per topology domain once; its extensions (AddPod, RemovePod) keep the
 * counts true when preemption takes a pod off a node or puts it back, so evicting the lower-priority pods an
 * anti-affinity term selects (or whose own anti-affinity selects the pod) makes room.
 *
 * <p>Score: per domain, the weights of the pod's preferred terms matched by existing pods (anti-affinity
 * subtracts), plus existing pods' preferred terms and (with {@code hardPodAffinityWeight}) required affinity
 * terms that match this pod; normalised between the lowest and highest node.
 */
public final class InterPodAffinity implements PreFilterExtensions, FilterPlugin, PreScorePlugin, ScorePlugin {

    public static final String NAME = "InterPodAffinity";
    public static final String AFFINITY_REASON = "node(s) didn't match pod affinity rules";
    public static final String ANTI_AFFINITY_REASON = "node(s) didn't match pod anti-affinity rules";
    public static final String EXISTING_ANTI_AFFINITY_REASON = "node(s) didn't satisfy existing pods anti-affinity rules";
    private static final String FILTER_KEY = "PreFilter" + NAME;
    private static final String SCORE_KEY = "PreScore" + NAME;

    record TopologyPair(String key, String value) {
    }

    /**
     * Counts of matching pods per topology domain. A domain whose count falls to zero is removed, so that an empty
     * map means no matching pod anywhere (the first pod of a self-selecting group relies on that).
     */
    static final class Counts extends HashMap<TopologyPair, Long> {
        Counts() {
        }

        Counts(Counts other) {
            super(other);
        }

        void add(NodeInfo node, String topologyKey, long delta) {
            String value = node.labels().get(topologyKey);
            if (value != null) merge(new TopologyPair(topologyKey, value), delta, (a, b) -> a + b == 0 ? null : a + b);
        }

        long get(String key, String value) {
            Long v = get(new TopologyPair(key, value));
            return v == null ? 0 : v;
        }
    }

    private record FilterState(Counts existingAntiAffinity, Counts affinity, Counts antiAffinity)
            implements CycleState.StateData {

        @Override
        public FilterState copy() {
            return new FilterState(new Counts(existingAntiAffinity), new Counts(affinity), new Counts(antiAffinity));
        }

        /**
         * Counts {@code other} on {@code node} ({@code sign} 1) or uncounts it (-1) as PreFilter counted the pods:
         * its anti-affinity terms that select the pod, the pod's affinity terms when it matches them all, the pod's
         * anti-affinity terms that select it.
         */
        void update(PodInfo pod, PodInfo other, NodeInfo node, ClusterView cluster, int sign) {
            for (AffinityTerm t : other.requiredAntiAffinityTerms()) {
                if (t.matches(pod, cluster)) existingAntiAffinity.add(node, t.topologyKey(), sign);
            }
            if (matchesAll(pod.requiredAffinityTerms(), other, cluster)) {
                for (AffinityTerm t : pod.requiredAffinityTerms()) affinity.add(node, t.topologyKey(), sign);
            }
            for (AffinityTerm t : pod.requiredAntiAffinityTerms()) {
                if (t.matches(other, cluster)) antiAffinity.add(node, t.topologyKey(), sign);
            }
        }
    }

    private final long hardPodAffinityWeight;

    /** @param hardPodAffinityWeight the score weight of existing pods' required affinity terms (kube default 1) */
    public InterPodAffinity(long hardPodAffinityWeight) {
        this.hardPodAffinityWeight = hardPodAffinityWeight;
    }

    public InterPodAffinity() {
        this(1);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public java.util.Set<ClusterEvent> eventsToRegister() {
        return java.util.EnumSet.of(ClusterEvent.NODE_ADD, ClusterEvent.NODE_UPDATE, ClusterEvent.POD_ADD, ClusterEvent.POD_UPDATE, ClusterEvent.POD_DELETE);
    }

    @Override
    public PreFilterResult preFilter(CycleState state, PodInfo pod, ClusterView cluster) {
        Counts existingAnti = new Counts();
        for (NodeInfo node : cluster.nodesWithRequiredAntiAffinityPods()) {
            for (PodInfo existing : node.podsWithRequiredAntiAffinity()) {
                for (AffinityTerm t : existing.requiredAntiAffinityTerms()) {
                    if (t.matches(pod, cluster)) existingAnti.add(node, t.topologyKey(), 1);
                }
            }
        }
        List<AffinityTerm> affinityTerms = pod.requiredAffinityTerms();
        List<AffinityTerm> antiTerms = pod.requiredAntiAffinityTerms();
        if (existingAnti.isEmpty() && affinityTerms.isEmpty() && antiTerms.isEmpty()) return PreFilterResult.SKIP;
        Counts affinity = new Counts();
        Counts anti = new Counts();
        if (!affinityTerms.isEmpty() || !antiTerms.isEmpty()) {
            // One-label terms are answered by each node's label counts; others match pod by pod.
            AffinityTerm single = affinityTerms.size() == 1 ? affinityTerms.getFirst() : null;
            boolean affinityByCount = single != null && single.countKeys() != null;
            for (NodeInfo node : cluster.nodes()) {
                if (affinityByCount) {
                    int n = single.countOn(node);
                    if (n > 0) affinity.add(node, single.topologyKey(), n);
                } else if (!affinityTerms.isEmpty()) {
                    for (PodInfo existing : node.pods()) {
                        if (matchesAll(affinityTerms, existing, cluster)) {
                            for (AffinityTerm t : affinityTerms) affinity.add(node, t.topologyKey(), 1);
                        }
                    }
                }
                for (AffinityTerm t : antiTerms) {
                    int n = count(t, node, cluster);
                    if (n > 0) anti.add(node, t.topologyKey(), n);
                }
            }
        }
        state.write(FILTER_KEY, new FilterState(existingAnti, affinity, anti));
        return PreFilterResult.SUCCESS;
    }

    @Override
    public Status addPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node, ClusterView cluster) {
        FilterState s = state.read(FILTER_KEY);
        if (s != null) s.update(podToSchedule, podToAdd, node, cluster, 1);
        return Status.SUCCESS;
    }

    @Override
    public Status removePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node,
                            ClusterView cluster) {
        FilterState s = state.read(FILTER_KEY);
        if (s != null) s.update(podToSchedule, podToRemove, node, cluster, -1);
        return Status.SUCCESS;
    }

    /** The pods on the node the term selects. */
    private static int count(AffinityTerm t, NodeInfo node, ClusterView cluster) {
        int n = t.countOn(node);
        if (n >= 0) return n;
        n = 0;
        for (PodInfo existing : node.pods()) if (t.matches(existing, cluster)) n++;
        return n;
    }

    private static boolean matchesAll(List<AffinityTerm> terms, PodInfo pod, ClusterView cluster) {
        if (terms.isEmpty()) return false;
        for (AffinityTerm t : terms) if (!t.matches(pod, cluster)) return false;
        return true;
    }

    private static boolean matchesAll(List<AffinityTerm> terms, PodInfo pod, Map<String, String> nsLabels) {
        if (terms.isEmpty()) return false;
        for (AffinityTerm t : terms) if (!t.matches(pod, nsLabels)) return false;
        return true;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        FilterState s = state.read(FILTER_KEY);
        if (s == null) return Status.SUCCESS;
        if (!satisfiesAffinity(s, pod, node)) return Status.unresolvable(AFFINITY_REASON);
        if (!s.antiAffinity().isEmpty()) {
            for (AffinityTerm t : pod.requiredAntiAffinityTerms()) {
                String value = node.labels().get(t.topologyKey());
                if (value != null && s.antiAffinity().get(t.topologyKey(), value) > 0) {
                    return Status.unschedulable(ANTI_AFFINITY_REASON);
                }
            }
        }
        if (!s.existingAntiAffinity().isEmpty()) {
            for (Map.Entry<String, String> label : node.labels().entrySet()) {
                if (s.existingAntiAffinity().get(label.getKey(), label.getValue()) > 0) {
                    return Status.unschedulable(EXISTING_ANTI_AFFINITY_REASON);
                }
            }
        }
        return Status.SUCCESS;
    }

    private static boolean satisfiesAffinity(FilterState s, PodInfo pod, NodeInfo node) {
        boolean podsExist = true;
        for (AffinityTerm t : pod.requiredAffinityTerms()) {
            String value = node.labels().get(t.topologyKey());
            if (value == null) return false;
            if (s.affinity().get(t.topologyKey(), value) <= 0) podsExist = false;
        }
        if (podsExist) return true;
        // The first pod of a group that selects itself has nobody to be near yet.
        return s.affinity().isEmpty() && matchesAll(pod.requiredAffinityTerms(), pod, Map.of());
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes, ClusterView cluster) {
        boolean hasPreferred = !pod.preferredAffinityTerms().isEmpty() || !pod.preferredAntiAffinityTerms().isEmpty();
        List<NodeInfo> nodes = hasPreferred ? cluster.nodes() : cluster.nodesWithAffinityPods();
        if (nodes.isEmpty()) return Status.SKIP;
        Map<String, Map<String, Long>> scores = new HashMap<>();
        for (NodeInfo node : nodes) {
            for (AffinityTerm t : pod.preferredAffinityTerms()) {
                int n = count(t, node, cluster);
                if (n > 0) add(scores, node, t.topologyKey(), (long) t.weight() * n);
            }
            for (AffinityTerm t : pod.preferredAntiAffinityTerms()) {
                int n = count(t, node, cluster);
                if (n > 0) add(scores, node, t.topologyKey(), -(long) t.weight() * n);
            }
            for (PodInfo existing : node.podsWithAffinity()) {
                if (hardPodAffinityWeight > 0) {
                    for (AffinityTerm t : existing.requiredAffinityTerms()) {
                        if (t.matches(pod, cluster)) add(scores, node, t.topologyKey(), hardPodAffinityWeight);
                    }
                }
                for (AffinityTerm t : existing.preferredAffinityTerms()) {
                    if (t.matches(pod, cluster)) add(scores, node, t.topologyKey(), t.weight());
                }
                for (AffinityTerm t : existing.preferredAntiAffinityTerms()) {
                    if (t.matches(pod, cluster)) add(scores, node, t.topologyKey(), -t.weight());
                }
            }
        }
        if (scores.isEmpty()) return Status.SKIP;
        state.write(SCORE_KEY, scores);
        return Status.SUCCESS;
    }

    private static void add(Map<String, Map<String, Long>> scores, NodeInfo node, String key, long delta) {
        String value = node.labels().get(key);
        if (value == null) return;
        scores.computeIfAbsent(key, k -> new HashMap<>()).merge(value, delta, Long::sum);
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        Map<String, Map<String, Long>> scores = state.read(SCORE_KEY);
        long total = 0;
        for (Map.Entry<String, Map<String, Long>> e : scores.entrySet()) {
            String value = node.labels().get(e.getKey());
            if (value != null) total += e.getValue().getOrDefault(value, 0L);
        }
        return total;
    }

    @Override
    public void normalizeScores(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (long s : scores) {
            min = Math.min(min, s);
            max = Math.max(max, s);
        }
        long diff = max - min;
        for (int i = 0; i < scores.length; i++) {
            scores[i] = diff > 0 ? (long) (MAX_NODE_SCORE * ((double) (scores[i] - min) / diff)) : 0;
        }
    }
}
