package io.kube4j.scheduler.framework;

import io.fabric8.kubernetes.api.model.PodAffinityTerm;

import java.util.Map;
import java.util.Set;

/**
 * A pod (anti-)affinity term compiled for matching: the namespaces it names (the owning pod's own when it names
 * none and has no namespaceSelector), its namespaceSelector, its label selector, its topology key and, for a
 * preferred term, its weight.
 *
 * <p>Immutable and thread-safe.
 */
public record AffinityTerm(Set<String> namespaces, LabelMatcher namespaceSelector, LabelMatcher selector,
                           String topologyKey, int weight) {

    /** The term of {@code ownerNamespace}'s pod, with the weight of a preferred term (1 for a required one). */
    public static AffinityTerm of(PodAffinityTerm term, String ownerNamespace, int weight) {
        Set<String> namespaces = term.getNamespaces() == null ? Set.of() : Set.copyOf(term.getNamespaces());
        LabelMatcher nsSelector = term.getNamespaceSelector() == null
                ? LabelMatcher.NOTHING : LabelMatcher.of(term.getNamespaceSelector());
        if (namespaces.isEmpty() && term.getNamespaceSelector() == null) namespaces = Set.of(ownerNamespace);
        return new AffinityTerm(namespaces, nsSelector, LabelMatcher.of(term.getLabelSelector()),
                term.getTopologyKey() == null ? "" : term.getTopologyKey(), weight);
    }

    /**
     * Whether {@code pod} is selected by this term.
     *
     * @param namespaceLabels the labels of the pod's namespace (empty when unknown)
     */
    public boolean matches(PodInfo pod, Map<String, String> namespaceLabels) {
        boolean inNamespace = namespaces.contains(pod.namespace())
                || (!namespaceSelector.isNothing() && namespaceSelector.matches(namespaceLabels));
        return inNamespace && selector.matches(pod.labels());
    }
}
