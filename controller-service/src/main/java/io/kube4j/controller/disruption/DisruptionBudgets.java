package io.kube4j.controller.disruption;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.kube4j.controller.pods.Pods;
import io.kube4j.controller.pods.Selectors;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The status kube-controller-manager's disruption controller writes on a PodDisruptionBudget.
 * Pure functions.
 *
 * <ul>
 *   <li>The budget's pods: those of its namespace its selector matches (an empty selector matches
 *       all, none matches none).</li>
 *   <li>{@code expectedPods}: with an integer {@code minAvailable}, the number of those pods; else
 *       (a percentage, or {@code maxUnavailable}) the sum of the {@code spec.replicas} of the pods'
 *       controllers (ReplicaSets, StatefulSets, ReplicationControllers) — a pod without one makes the
 *       budget fail to sync, as in Kubernetes.</li>
 *   <li>{@code desiredHealthy}: {@code minAvailable} (a percentage of the expected pods, rounded up),
 *       or the expected pods less {@code maxUnavailable} (a percentage rounded up), never below 0.</li>
 *   <li>{@code currentHealthy}: the pods that are Ready, not being deleted and not in
 *       {@code disruptedPods} (an eviction the gateway granted, forgotten after
 *       {@link #DISRUPTION_TIMEOUT} or when the pod goes).</li>
 *   <li>{@code disruptionsAllowed}: {@code currentHealthy - desiredHealthy}, at least 0; the
 *       {@code DisruptionAllowed} condition says whether it is positive.</li>
 * </ul>
 */
public final class DisruptionBudgets {

    /** How long a granted eviction keeps its pod out of the healthy count when the pod is not deleted. */
    public static final Duration DISRUPTION_TIMEOUT = Duration.ofMinutes(2);

    private DisruptionBudgets() {}

    /** The controller of a pod: its kind and name, and {@code spec.replicas} when known. */
    public record Controller(String kind, String name, Integer replicas) {
    }

    /**
     * The status for {@code pdb}.
     *
     * @param pods        the pods of the budget's namespace
     * @param controllers a pod's controller from its owner reference, empty when unknown
     */
    public static PodDisruptionBudgetStatus status(PodDisruptionBudget pdb, List<Pod> pods,
                                                   Function<OwnerReference, Optional<Controller>> controllers, Instant now) {
        PodDisruptionBudgetStatus previous = pdb.getStatus() == null ? new PodDisruptionBudgetStatus() : pdb.getStatus();
        var selector = Selectors.of(pdb.getSpec().getSelector());
        List<Pod> selected = pods.stream().filter(p -> Selectors.matches(selector, p.getMetadata().getLabels())).toList();

        Map<String, String> disrupted = new LinkedHashMap<>();
        if (previous.getDisruptedPods() != null) {
            previous.getDisruptedPods().forEach((name, at) -> {
                Pod pod = selected.stream().filter(p -> p.getMetadata().getName().equals(name)).findFirst().orElse(null);
                boolean expired = at == null || Instant.parse(at).plus(DISRUPTION_TIMEOUT).isBefore(now);
                if (pod != null && pod.getMetadata().getDeletionTimestamp() == null && !expired) disrupted.put(name, at);
            });
        }

        IntOrString minAvailable = pdb.getSpec().getMinAvailable();
        IntOrString maxUnavailable = pdb.getSpec().getMaxUnavailable();
        Integer expected;
        Integer desired;
        if (maxUnavailable == null && minAvailable != null && minAvailable.getIntVal() != null) {
            expected = selected.size();
            desired = minAvailable.getIntVal();
        } else {
            expected = expectedFromControllers(selected, controllers);
            if (expected == null) desired = null;
            else if (maxUnavailable != null) desired = Math.max(0, expected - scaled(maxUnavailable, expected));
            else if (minAvailable != null) desired = scaled(minAvailable, expected);
            else desired = expected;
        }

        int healthy = (int) selected.stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null && Pods.isReady(p) && !disrupted.containsKey(p.getMetadata().getName()))
                .count();
        PodDisruptionBudgetStatus status = new PodDisruptionBudgetStatus();
        status.setObservedGeneration(pdb.getMetadata().getGeneration());
        status.setCurrentHealthy(healthy);
        status.setDisruptedPods(disrupted.isEmpty() ? null : disrupted);
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        if (expected == null) {
            status.setExpectedPods(previous.getExpectedPods() == null ? 0 : previous.getExpectedPods());
            status.setDesiredHealthy(previous.getDesiredHealthy() == null ? 0 : previous.getDesiredHealthy());
            status.setDisruptionsAllowed(0);
            status.setConditions(List.of(condition(previous, "False", "SyncFailed",
                    "found no controllers for some of the pods: a percentage or maxUnavailable needs each pod's controller", pdb, time)));
            return status;
        }
        int allowed = Math.max(0, healthy - desired);
        status.setExpectedPods(expected);
        status.setDesiredHealthy(desired);
        status.setDisruptionsAllowed(allowed);
        status.setConditions(List.of(allowed > 0
                ? condition(previous, "True", "SufficientPods", "", pdb, time)
                : condition(previous, "False", "InsufficientPods", "", pdb, time)));
        return status;
    }

    /** The sum of the replicas of the pods' controllers, each counted once; null when a pod has no known controller. */
    private static Integer expectedFromControllers(List<Pod> pods, Function<OwnerReference, Optional<Controller>> controllers) {
        Set<String> seen = new LinkedHashSet<>();
        int total = 0;
        for (Pod pod : pods) {
            OwnerReference owner = pod.getMetadata().getOwnerReferences() == null ? null : pod.getMetadata().getOwnerReferences().stream()
                    .filter(o -> Boolean.TRUE.equals(o.getController())).findFirst().orElse(null);
            if (owner == null) return null;
            Optional<Controller> controller = controllers.apply(owner);
            if (controller.isEmpty() || controller.get().replicas() == null) return null;
            if (seen.add(controller.get().kind() + "/" + controller.get().name())) total += controller.get().replicas();
        }
        return total;
    }

    /** An integer as is; a percentage of {@code of}, rounded up. */
    static int scaled(IntOrString value, int of) {
        if (value.getIntVal() != null) return value.getIntVal();
        String text = value.getStrVal().trim();
        int percent = Integer.parseInt(text.endsWith("%") ? text.substring(0, text.length() - 1) : text);
        return (int) Math.ceil(percent * (double) of / 100.0);
    }

    private static Condition condition(PodDisruptionBudgetStatus previous, String status, String reason, String message,
                                       PodDisruptionBudget pdb, String time) {
        Condition old = previous.getConditions() == null ? null
                : previous.getConditions().stream().filter(c -> "DisruptionAllowed".equals(c.getType())).findFirst().orElse(null);
        String since = old != null && status.equals(old.getStatus()) && old.getLastTransitionTime() != null ? old.getLastTransitionTime() : time;
        return new ConditionBuilder().withType("DisruptionAllowed").withStatus(status).withReason(reason).withMessage(message)
                .withObservedGeneration(pdb.getMetadata().getGeneration()).withLastTransitionTime(since).build();
    }
}
