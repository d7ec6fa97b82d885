package io.kube4j.scheduler.plugins.defaultpreemption;

import io.kube4j.scheduler.framework.PodInfo;

import java.util.List;

/**
 * A node where the preemptor fits once {@code victims} are gone.
 *
 * @param nodeName      the node
 * @param victims       the pods to evict, most important first (higher priority, then started earlier)
 * @param pdbViolations how many victims a PodDisruptionBudget protects (0: budgets are not consulted yet)
 */
public record Candidate(String nodeName, List<PodInfo> victims, int pdbViolations) {

    public Candidate {
        victims = List.copyOf(victims);
    }
}
