package io.kube4j.scheduler.preemption;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.scheduler.framework.LabelMatcher;
import io.kube4j.scheduler.plugins.defaultpreemption.DisruptionBudget;
import io.kube4j.scheduler.plugins.defaultpreemption.DisruptionBudgets;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The budgets as the gateway lists them, read afresh on each call: preemption is rare and must weigh the
 * budgets' current {@code disruptionsAllowed}. Thread-safe.
 */
public final class GatewayDisruptionBudgets implements DisruptionBudgets {

    private final KubernetesClient client;

    public GatewayDisruptionBudgets(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public List<DisruptionBudget> all() {
        List<DisruptionBudget> budgets = new ArrayList<>();
        for (PodDisruptionBudget pdb : client.policy().v1().podDisruptionBudget().inAnyNamespace().list().getItems()) {
            budgets.add(of(pdb));
        }
        return budgets;
    }

    /** policy/v1: a budget whose selector is missing or empty covers no pod. */
    static DisruptionBudget of(PodDisruptionBudget pdb) {
        LabelMatcher selector = LabelMatcher.of(pdb.getSpec() == null ? null : pdb.getSpec().getSelector());
        var status = pdb.getStatus();
        int allowed = status == null || status.getDisruptionsAllowed() == null ? 0 : status.getDisruptionsAllowed();
        Set<String> disrupted = status == null || status.getDisruptedPods() == null ? Set.of() : status.getDisruptedPods().keySet();
        // LabelMatcher.of makes a missing selector match nothing and an empty one everything; for a budget both are nothing.
        return new DisruptionBudget(pdb.getMetadata().getNamespace(), selector.isEverything() ? LabelMatcher.NOTHING : selector,
                allowed, disrupted);
    }
}
