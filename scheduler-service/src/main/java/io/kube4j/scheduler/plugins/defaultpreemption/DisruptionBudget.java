package io.kube4j.scheduler.plugins.defaultpreemption;

import io.kube4j.scheduler.framework.LabelMatcher;
import io.kube4j.scheduler.framework.PodInfo;

import java.util.Set;

/**
 * What preemption reads of a PodDisruptionBudget: the pods it covers and how many of them may still go.
 *
 * @param namespace          the budget's namespace: it covers pods of that namespace only
 * @param selector           its {@code spec.selector}; a budget without one covers no pod (as policy/v1 says)
 * @param disruptionsAllowed its {@code status.disruptionsAllowed}
 * @param disruptedPods      the names in its {@code status.disruptedPods}: evictions already counted against it
 */
public record DisruptionBudget(String namespace, LabelMatcher selector, int disruptionsAllowed, Set<String> disruptedPods) {

    public DisruptionBudget {
        disruptedPods = Set.copyOf(disruptedPods);
    }

    /** Whether the budget covers {@code pod}: same namespace, matching labels, and not already counted as disrupted. */
    boolean covers(PodInfo pod) {
        return namespace.equals(pod.namespace()) && selector.matches(pod.labels())
                && !disruptedPods.contains(pod.name());
    }
}
