package io.kube4j.scheduler.plugins.defaultpreemption;

import io.kube4j.scheduler.framework.ClusterView;
import io.kube4j.scheduler.framework.Code;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.NodeFilter;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.PostFilterPlugin;
import io.kube4j.scheduler.framework.Status;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * kube-scheduler's DefaultPreemption PostFilter: when no node fits a pod, look for the node where evicting the
 * fewest, least important lower-priority pods makes it fit ({@link Victims}), evict them through
 * {@link PreemptionActions}, and nominate the node for the pod. The pod itself is scheduled in a later cycle,
 * once the victims' deletions free the room (the nomination keeps lower-priority pods off it meanwhile).
 *
 * <p>Not eligible: a pod with {@code preemptionPolicy: Never}, and a pod already nominated to a node where a
 * lower-priority pod is still terminating (its room is coming). Nodes rejected as unresolvable (labels, taints,
 * names) are not tried. The rejections read as kube-scheduler's, e.g. {@code preemption: 0/3 nodes are available:
 * 1 No preemption victims found for incoming pod, 1 node(s) didn't match pod anti-affinity rules, 1 Preemption is
 * not helpful for scheduling}: a node whose lower-priority pods are not enough to make room counts with the
 * reasons the Filters gave with all of them gone.
 *
 * <p>Stateless apart from its actions; called from the scheduling thread. The victims leave both the node and the
 * counts PreFilter computed across nodes (through the PreFilter extensions), so preemption makes room for
 * whatever the Filters check: resources, host ports, pod counts, and also required pod anti-affinity (the
 * pod's against lower-priority pods on the node, and theirs against the pod) and topology spread skew. As in
 * kube-scheduler, it does not evict for the pod's own required affinity, and evicts only on the candidate node
 * (a matching pod elsewhere in the zone stays). PodDisruptionBudgets are weighed as kube-scheduler weighs them:
 * victims whose eviction a budget forbids are spared first on each node, and the node whose victims break the
 * fewest budgets wins; a budget never blocks preemption outright.
 */
public final class DefaultPreemption implements PostFilterPlugin {

    public static final String NAME = "DefaultPreemption";
    static final String NOT_HELPFUL = "Preemption is not helpful for scheduling";
    public static final String NO_VICTIMS = "No preemption victims found for incoming pod";

    private final PreemptionActions actions;
    private final DisruptionBudgets budgets;

    public DefaultPreemption(PreemptionActions actions) {
        this(actions, DisruptionBudgets.NONE);
    }

    /** @param budgets read at most once per preemption attempt, and only when some node has lower-priority pods */
    public DefaultPreemption(PreemptionActions actions, DisruptionBudgets budgets) {
        this.actions = actions;
        this.budgets = budgets;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Result postFilter(CycleState state, PodInfo pod, Map<String, Status> nodeStatuses, ClusterView cluster,
                             NodeFilter filters) {
        String notEligible = notEligible(pod, cluster);
        if (notEligible != null) return rejected("preemption: " + notEligible);
        Map<String, Integer> reasons = new HashMap<>();
        List<Candidate> candidates = new ArrayList<>();
        int total = cluster.nodes().size();
        Supplier<List<DisruptionBudget>> pdbs = DisruptionBudgets.readOnce(budgets);
        for (NodeInfo node : cluster.nodes()) {
            Status s = nodeStatuses.get(node.name());
            if (s == null || s.code() != Code.UNSCHEDULABLE) {
                reasons.merge(NOT_HELPFUL, 1, Integer::sum);
                continue;
            }
            Victims.OnNode found = Victims.selectOnNode(filters, state, pod, node, pdbs);
            if (found.candidate() != null) {
                candidates.add(found.candidate());
            } else if (found.rejection().code() == Code.ERROR) {
                return new Result(Status.error("preemption: " + found.rejection().message()), null);
            } else {
                for (String reason : found.rejection().reasons()) reasons.merge(reason, 1, Integer::sum);
            }
        }
        Optional<Candidate> best = Victims.pickOne(candidates);
        if (best.isEmpty()) return rejected("preemption: " + summary(total, reasons));
        Candidate c = best.get();
        List<PodInfo> displaced = new ArrayList<>();
        for (PodInfo p : cluster.nominatedPods(c.nodeName())) {
            if (p.priority() < pod.priority() && !p.key().equals(pod.key())) displaced.add(p);
        }
        Status done = actions.preempt(pod, c.nodeName(), c.victims(), displaced);
        if (!done.isSuccess()) return new Result(Status.error("preemption: " + done.message()), null);
        return new Result(Status.SUCCESS, c.nodeName());
    }

    /**
     * Why the pod may not preempt (kube-scheduler's {@code PodEligibleToPreemptOthers}), or null when it may.
     */
    static String notEligible(PodInfo pod, ClusterView cluster) {
        if (pod.preemptionNever()) return "not eligible due to preemptionPolicy=Never";
        String nominated = pod.nominatedNodeName();
        if (nominated != null) {
            NodeInfo node = cluster.node(nominated);
            if (node != null) {
                for (PodInfo p : node.pods()) {
                    if (p.terminating() && p.priority() < pod.priority()) {
                        return "not eligible due to a terminating pod on the nominated node";
                    }
                }
            }
        }
        return null;
    }

    /** {@code 0/N nodes are available: <count> <reason>, ...}, reasons sorted as FitError sorts them. */
    static String summary(int total, Map<String, Integer> reasons) {
        List<String> lines = new ArrayList<>();
        reasons.forEach((reason, n) -> lines.add(n + " " + reason));
        lines.sort(null);
        return "0/" + total + " nodes are available: " + String.join(", ", lines);
    }

    private static Result rejected(String message) {
        return new Result(Status.unschedulable(message), null);
    }
}
