package io.kube4j.scheduler.plugins.defaultpreemption;

import io.kube4j.scheduler.framework.Code;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.NodeFilter;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.Status;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Victim selection as kube-scheduler's DefaultPreemption does it, as pure functions over NodeInfos and the cycle's
 * PreFilter state: on one node, the fewest lower-priority pods whose removal lets the preemptor pass the Filters;
 * among nodes, the candidate that disturbs least.
 */
public final class Victims {

    /**
     * What one node offers the preemptor: a candidate, or the status that says why it is none (kube-scheduler's
     * {@code No preemption victims found for incoming pod} when the node holds no lower-priority pod, else the
     * Filters' rejection with every lower-priority pod gone).
     */
    public record OnNode(Candidate candidate, Status rejection) {

        static OnNode of(Candidate candidate) {
            return new OnNode(candidate, null);
        }

        static OnNode rejected(Status rejection) {
            return new OnNode(null, rejection);
        }
    }

    /** kube-scheduler's {@code MoreImportantPod}: higher priority first, then the one that started earlier. */
    static final Comparator<PodInfo> MORE_IMPORTANT_FIRST = Comparator
            .comparingInt(PodInfo::priority).reversed()
            .thenComparing(PodInfo::startTime, Comparator.nullsLast(Comparator.naturalOrder()));

    private Victims() {
    }

    /**
     * The victims on one node: every pod of lower priority than the preemptor is removed from a copy of the node
     * and, through the PreFilter extensions, from a copy of the cycle state (so that the counts inter-pod
     * affinity and topology spreading computed at PreFilter no longer hold them); if the preemptor then fits, each
     * of them is put back in turn and stays (is reprieved) when the preemptor still fits. Those whose eviction
     * would break a PodDisruptionBudget are put back first, then the others, each group most important first, so
     * that budgets are spared where the node allows; the candidate counts the victims that break one. Pods of the
     * same or higher priority are never victims.
     *
     * @param state   the cycle's state as the PreFilters left it; this call does not change it (it works on a copy)
     * @param node    a NodeInfo the Filters rejected for the preemptor; this call does not change it (it works on a
     *                copy)
     * @param budgets the cluster's budgets, read only when the node has lower-priority pods
     * @return the candidate, or the rejection when the node holds no lower-priority pod or removing them all is not
     *         enough; an {@link Code#ERROR} rejection when a PreFilter extension failed
     */
    public static OnNode selectOnNode(NodeFilter filters, CycleState state, PodInfo preemptor, NodeInfo node,
                                      Supplier<List<DisruptionBudget>> budgets) {
        List<PodInfo> potential = new ArrayList<>();
        for (PodInfo p : node.pods()) {
            if (p.priority() < preemptor.priority()) potential.add(p);
        }
        // Nothing to remove: the node stays as the Filters just rejected it. This spares a copy per node for
        // the common case of a cluster of equal priorities, where every pod that fits nowhere comes here.
        if (potential.isEmpty()) return OnNode.rejected(Status.unresolvable(DefaultPreemption.NO_VICTIMS));
        NodeInfo trial = node.copy();
        CycleState trialState = state.copy();
        for (PodInfo p : potential) {
            Status removed = filters.removePod(trialState, preemptor, trial, p);
            if (!removed.isSuccess()) return OnNode.rejected(removed);
        }
        Status fits = filters.filter(trialState, preemptor, trial);
        if (!fits.isSuccess()) return OnNode.rejected(fits);
        potential.sort(MORE_IMPORTANT_FIRST);
        List<List<PodInfo>> split = splitByBudgetViolation(potential, budgets.get());
        List<PodInfo> victims = new ArrayList<>();
        int violations = 0;
        for (int group = 0; group < 2; group++) {
            for (PodInfo p : split.get(group)) {
                Status added = filters.addPod(trialState, preemptor, trial, p);
                if (!added.isSuccess()) return OnNode.rejected(added);
                Status still = filters.filter(trialState, preemptor, trial);
                if (still.code() == Code.ERROR) return OnNode.rejected(still);
                if (!still.isSuccess()) {
                    Status removed = filters.removePod(trialState, preemptor, trial, p);
                    if (!removed.isSuccess()) return OnNode.rejected(removed);
                    victims.add(p);
                    if (group == 0) violations++;
                }
            }
        }
        victims.sort(MORE_IMPORTANT_FIRST);
        return OnNode.of(new Candidate(node.name(), victims, violations));
    }

    /**
     * kube-scheduler's {@code filterPodsWithPDBViolation}: walking the pods in order, each takes one disruption
     * from every budget that covers it; a pod that drives any of them below zero would violate it. Returns the
     * violating pods, then the others, each in the given order.
     */
    static List<List<PodInfo>> splitByBudgetViolation(List<PodInfo> pods, List<DisruptionBudget> budgets) {
        int[] allowed = new int[budgets.size()];
        for (int i = 0; i < allowed.length; i++) allowed[i] = budgets.get(i).disruptionsAllowed();
        List<PodInfo> violating = new ArrayList<>();
        List<PodInfo> free = new ArrayList<>();
        for (PodInfo pod : pods) {
            boolean violates = false;
            if (!pod.labels().isEmpty()) {
                for (int i = 0; i < allowed.length; i++) {
                    if (!budgets.get(i).covers(pod)) continue;
                    if (--allowed[i] < 0) violates = true;
                }
            }
            (violates ? violating : free).add(pod);
        }
        return List.of(violating, free);
    }

    /**
     * kube-scheduler's {@code pickOneNodeForPreemption}: a candidate with no victims at once; else the fewest
     * PodDisruptionBudget violations, then the lowest highest-priority victim, then the lowest sum of victim
     * priorities, then the fewest victims, then the latest start among the highest-priority victims; the first
     * in the given order on a tie.
     *
     * @return the chosen candidate, or empty for an empty list
     */
    public static Optional<Candidate> pickOne(List<Candidate> candidates) {
        for (Candidate c : candidates) if (c.victims().isEmpty()) return Optional.of(c);
        Comparator<Candidate> order = Comparator
                .comparingInt(Candidate::pdbViolations)
                .thenComparingInt(c -> c.victims().getFirst().priority())
                .thenComparingLong(Victims::prioritySum)
                .thenComparingInt(c -> c.victims().size())
                .thenComparing(Victims::earliestStartOfMostImportant,
                        Comparator.nullsFirst(Comparator.<String>naturalOrder()).reversed());
        Candidate best = null;
        for (Candidate c : candidates) if (best == null || order.compare(c, best) < 0) best = c;
        return Optional.ofNullable(best);
    }

    /** The victims' priorities summed, each shifted to be non-negative (priorities may be negative). */
    static long prioritySum(Candidate c) {
        long sum = 0;
        for (PodInfo p : c.victims()) sum += (long) p.priority() - Integer.MIN_VALUE;
        return sum;
    }

    /** The earliest start among the victims of the highest priority: the later it is, the less work is lost. */
    static String earliestStartOfMostImportant(Candidate c) {
        int top = c.victims().getFirst().priority();
        String earliest = null;
        for (PodInfo p : c.victims()) {
            if (p.priority() != top || p.startTime() == null) continue;
            if (earliest == null || p.startTime().compareTo(earliest) < 0) earliest = p.startTime();
        }
        return earliest;
    }
}
