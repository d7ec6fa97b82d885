package io.kube4j.scheduler.framework;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One profile's plugins at each extension point, in configured order, and the calls that run them as
 * kube-scheduler's framework runtime does: a Filter pass stops at the first rejecting plugin; Score sums each
 * plugin's normalised score times its weight.
 *
 * <p>Immutable and thread-safe; one instance per profile serves every cycle.
 */
public final class Framework {

    private final String schedulerName;
    private final List<PreFilterPlugin> preFilters;
    private final List<PreFilterExtensions> preFilterExtensions;
    private final List<FilterPlugin> filters;
    private final List<PostFilterPlugin> postFilters;
    private final List<PreScorePlugin> preScores;
    private final List<ScorePlugin> scores;
    private final long[] scoreWeights;
    private final List<ReservePlugin> reserves;
    private final List<BindPlugin> binders;
    private final Integer percentageOfNodesToScore;

    private Framework(Builder b) {
        this.schedulerName = b.schedulerName;
        this.preFilters = List.copyOf(b.preFilters);
        List<PreFilterExtensions> extensions = new ArrayList<>();
        for (PreFilterPlugin p : preFilters) if (p instanceof PreFilterExtensions e) extensions.add(e);
        this.preFilterExtensions = List.copyOf(extensions);
        this.filters = List.copyOf(b.filters);
        this.postFilters = List.copyOf(b.postFilters);
        this.preScores = List.copyOf(b.preScores);
        this.scores = List.copyOf(b.scores.keySet());
        this.scoreWeights = b.scores.values().stream().mapToLong(Integer::longValue).toArray();
        this.reserves = List.copyOf(b.reserves);
        this.binders = List.copyOf(b.binders);
        this.percentageOfNodesToScore = b.percentageOfNodesToScore;
    }

    public static Builder builder(String schedulerName) {
        return new Builder(schedulerName);
    }

    public String schedulerName() { return schedulerName; }
    /** The profile's own percentage, or null to use the scheduler-wide one. */
    public Integer percentageOfNodesToScore() { return percentageOfNodesToScore; }
    public boolean hasFilterPlugins() { return !filters.isEmpty(); }
    public boolean hasScorePlugins() { return !scores.isEmpty(); }
    public List<FilterPlugin> filterPlugins() { return filters; }
    public List<ScorePlugin> scorePlugins() { return scores; }
    public long scoreWeight(int index) { return scoreWeights[index]; }

    /**
     * Runs every PreFilter. A rejection or error stops at once (attributed to its plugin); the node sets that
     * plugins restrict to are intersected.
     */
    public PreFilterResult runPreFilterPlugins(CycleState state, PodInfo pod, ClusterView cluster) {
        java.util.Set<String> nodes = null;
        for (PreFilterPlugin p : preFilters) {
            PreFilterResult r = p.preFilter(state, pod, cluster);
            Status s = r.status();
            if (s.isSkip()) {
                state.skipFilterPlugins().add(p.name());
                continue;
            }
            if (!s.isSuccess()) return new PreFilterResult(s.withPlugin(p.name()), null);
            if (r.nodeNames() != null) {
                if (nodes == null) {
                    nodes = new java.util.HashSet<>(r.nodeNames());
                } else {
                    nodes.retainAll(r.nodeNames());
                }
            }
        }
        return new PreFilterResult(Status.SUCCESS, nodes);
    }

    /** Runs the Filters on one node; the first rejection, attributed to its plugin, or success. */
    public Status runFilterPlugins(CycleState state, PodInfo pod, NodeInfo node) {
        for (FilterPlugin p : filters) {
            if (!state.skipFilterPlugins().isEmpty() && state.skipFilterPlugins().contains(p.name())) continue;
            Status s = p.filter(state, pod, node);
            if (!s.isSuccess()) return s.withPlugin(p.name());
        }
        return Status.SUCCESS;
    }

    /**
     * Runs the Filters as kube-scheduler does when pods are nominated to the node (they wait there for room a
     * preemption made): first with the nominated pods of at least this pod's priority added, to a copy of the node
     * and (through the PreFilter extensions) to a copy of the state, so the pod does not take their room, then (if
     * that passed) without them, since a nominated pod may never come (affinity). A node without nominations costs
     * one pass.
     */
    public Status runFilterPluginsWithNominatedPods(CycleState state, PodInfo pod, NodeInfo node, ClusterView cluster) {
        java.util.List<PodInfo> nominated = cluster.nominatedPods(node.name());
        if (!nominated.isEmpty()) {
            NodeInfo with = null;
            CycleState withState = state;
            for (PodInfo n : nominated) {
                if (n.key().equals(pod.key()) || n.priority() < pod.priority()) continue;
                if (with == null) {
                    with = node.copy();
                    if (hasActiveExtensions(state)) withState = state.copy();
                }
                with.addPod(n);
                Status added = runPreFilterExtensionAddPod(withState, pod, n, with, cluster);
                if (!added.isSuccess()) return added;
            }
            if (with != null) {
                Status s = runFilterPlugins(withState, pod, with);
                if (!s.isSuccess()) return s;
            }
        }
        return runFilterPlugins(state, pod, node);
    }

    /** Whether a PreFilter extension runs this cycle (its PreFilter did not skip): only then is there state to change. */
    private boolean hasActiveExtensions(CycleState state) {
        for (PreFilterExtensions e : preFilterExtensions) if (!state.skipFilterPlugins().contains(e.name())) return true;
        return false;
    }

    /**
     * Tells every PreFilter extension (of a plugin whose PreFilter did not skip) that {@code podToAdd} now runs on
     * {@code node}; the first failure, as an error naming its plugin.
     */
    public Status runPreFilterExtensionAddPod(CycleState state, PodInfo pod, PodInfo podToAdd, NodeInfo node,
                                              ClusterView cluster) {
        return runPreFilterExtensions(state, "AddPod", e -> e.addPod(state, pod, podToAdd, node, cluster));
    }

    /** As {@link #runPreFilterExtensionAddPod}, for {@code podToRemove} no longer on {@code node}. */
    public Status runPreFilterExtensionRemovePod(CycleState state, PodInfo pod, PodInfo podToRemove, NodeInfo node,
                                                 ClusterView cluster) {
        return runPreFilterExtensions(state, "RemovePod", e -> e.removePod(state, pod, podToRemove, node, cluster));
    }

    private Status runPreFilterExtensions(CycleState state, String operation,
                                          java.util.function.Function<PreFilterExtensions, Status> call) {
        for (PreFilterExtensions e : preFilterExtensions) {
            if (state.skipFilterPlugins().contains(e.name())) continue;
            Status s = call.apply(e);
            if (!s.isSuccess()) {
                return Status.error("running " + operation + " on PreFilter plugin " + e.name() + ": " + s.message());
            }
        }
        return Status.SUCCESS;
    }

    /**
     * This profile's Filters as a PostFilter sees them on {@code cluster}: with nominated pods accounted, and pods
     * added to or removed from a node copy together with the PreFilter state.
     */
    public NodeFilter nodeFilter(ClusterView cluster) {
        return new NodeFilter() {
            @Override
            public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
                return runFilterPluginsWithNominatedPods(state, pod, node, cluster);
            }

            @Override
            public Status addPod(CycleState state, PodInfo pod, NodeInfo node, PodInfo podToAdd) {
                node.addPod(podToAdd);
                return runPreFilterExtensionAddPod(state, pod, podToAdd, node, cluster);
            }

            @Override
            public Status removePod(CycleState state, PodInfo pod, NodeInfo node, PodInfo podToRemove) {
                node.removePod(podToRemove.key());
                return runPreFilterExtensionRemovePod(state, pod, podToRemove, node, cluster);
            }
        };
    }

    /** Runs the PostFilters until one succeeds or fails with an error; null when the profile has none. */
    public PostFilterPlugin.Result runPostFilterPlugins(CycleState state, PodInfo pod, Map<String, Status> statuses,
                                                        ClusterView cluster) {
        PostFilterPlugin.Result last = null;
        NodeFilter filters = nodeFilter(cluster);
        for (PostFilterPlugin p : postFilters) {
            PostFilterPlugin.Result r = p.postFilter(state, pod, statuses, cluster, filters);
            if (r.status().isSuccess() || r.status().code() == Code.ERROR) return r;
            last = r;
        }
        return last;
    }

    public Status runPreScorePlugins(CycleState state, PodInfo pod, List<NodeInfo> feasible, ClusterView cluster) {
        for (PreScorePlugin p : preScores) {
            Status s = p.preScore(state, pod, feasible, cluster);
            if (s.isSkip()) {
                state.skipScorePlugins().add(p.name());
                continue;
            }
            if (!s.isSuccess()) return s.withPlugin(p.name());
        }
        return Status.SUCCESS;
    }

    /**
     * The weighted total score of each feasible node (index i for {@code nodes.get(i)}): each Score plugin's raw
     * scores, normalised, times its weight, summed.
     *
     * @param parallel runs each plugin's per-node scores on this executor; null runs them here
     */
    public long[] runScorePlugins(CycleState state, PodInfo pod, List<NodeInfo> nodes, Parallelizer parallel) {
        long[] totals = new long[nodes.size()];
        for (int i = 0; i < scores.size(); i++) {
            ScorePlugin p = scores.get(i);
            if (!state.skipScorePlugins().isEmpty() && state.skipScorePlugins().contains(p.name())) continue;
            long[] raw = new long[nodes.size()];
            if (parallel == null) {
                for (int n = 0; n < raw.length; n++) raw[n] = p.score(state, pod, nodes.get(n));
            } else {
                parallel.forEach(raw.length, n -> raw[n] = p.score(state, pod, nodes.get(n)));
            }
            p.normalizeScores(state, pod, nodes, raw);
            long w = scoreWeights[i];
            for (int n = 0; n < raw.length; n++) {
                long s = raw[n];
                if (s < 0 || s > ScorePlugin.MAX_NODE_SCORE) {
                    throw new IllegalStateException("plugin " + p.name() + " scored node " + nodes.get(n).name()
                            + " " + s + ", outside [0, " + ScorePlugin.MAX_NODE_SCORE + "]");
                }
                totals[n] += s * w;
            }
        }
        return totals;
    }

    /** Runs every Reserve in order; on a failure, unreserves them all (in reverse) and answers the failure. */
    public Status runReservePlugins(CycleState state, PodInfo pod, String nodeName) {
        for (ReservePlugin p : reserves) {
            Status s = p.reserve(state, pod, nodeName);
            if (!s.isSuccess()) {
                runUnreservePlugins(state, pod, nodeName);
                return s.withPlugin(p.name());
            }
        }
        return Status.SUCCESS;
    }

    public void runUnreservePlugins(CycleState state, PodInfo pod, String nodeName) {
        for (int i = reserves.size() - 1; i >= 0; i--) reserves.get(i).unreserve(state, pod, nodeName);
    }

    /** Runs the binders until one does not skip; an error when all skip or there are none. */
    public Status runBindPlugins(CycleState state, PodInfo pod, String nodeName) {
        for (BindPlugin p : binders) {
            Status s = p.bind(state, pod, nodeName);
            if (s.isSkip()) continue;
            return s.isSuccess() ? s : s.withPlugin(p.name());
        }
        return Status.error("no bind plugin bound pod " + pod.key());
    }

    /** Builds a framework; plugins are added to each extension point their class implements, when asked. */
    public static final class Builder {
        private final String schedulerName;
        private final List<PreFilterPlugin> preFilters = new ArrayList<>();
        private final List<FilterPlugin> filters = new ArrayList<>();
        private final List<PostFilterPlugin> postFilters = new ArrayList<>();
        private final List<PreScorePlugin> preScores = new ArrayList<>();
        private final Map<ScorePlugin, Integer> scores = new LinkedHashMap<>();
        private final List<ReservePlugin> reserves = new ArrayList<>();
        private final List<BindPlugin> binders = new ArrayList<>();
        private Integer percentageOfNodesToScore;

        private Builder(String schedulerName) {
            this.schedulerName = schedulerName;
        }

        public Builder preFilter(PreFilterPlugin p) { preFilters.add(p); return this; }
        public Builder filter(FilterPlugin p) { filters.add(p); return this; }
        public Builder postFilter(PostFilterPlugin p) { postFilters.add(p); return this; }
        public Builder preScore(PreScorePlugin p) { preScores.add(p); return this; }
        public Builder score(ScorePlugin p, int weight) { scores.put(p, weight); return this; }
        public Builder reserve(ReservePlugin p) { reserves.add(p); return this; }
        public Builder bind(BindPlugin p) { binders.add(p); return this; }
        public Builder percentageOfNodesToScore(Integer p) { percentageOfNodesToScore = p; return this; }

        /**
         * Adds the plugin at Filter (with its PreFilter) and at Score (with its PreScore) when it implements them
         * and the flags ask for it, and at Reserve and Bind when it implements them.
         */
        public Builder plugin(Plugin p, boolean filter, boolean score, int weight) {
            if (filter && p instanceof PreFilterPlugin pf) preFilter(pf);
            if (filter && p instanceof FilterPlugin f) filter(f);
            if (score && p instanceof PreScorePlugin ps) preScore(ps);
            if (score && p instanceof ScorePlugin s) score(s, weight);
            if (p instanceof ReservePlugin r) reserve(r);
            if (p instanceof BindPlugin b) bind(b);
            if (p instanceof PostFilterPlugin pf) postFilter(pf);
            return this;
        }

        public Framework build() {
            return new Framework(this);
        }
    }
}
