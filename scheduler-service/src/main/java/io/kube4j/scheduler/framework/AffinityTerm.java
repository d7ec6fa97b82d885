package io.kube4j.scheduler.framework;

import io.fabric8.kubernetes.api.model.PodAffinityTerm;

import java.util.List;
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
                           String topologyKey, int weight, List<String> countKeys) {

    /** The term of {@code ownerNamespace}'s pod, with the weight of a preferred term (1 for a required one). */
    public static AffinityTerm of(PodAffinityTerm term, String ownerNamespace, int weight) {
        Set<String> namespaces = term.getNamespaces() == null ? Set.of() : Set.copyOf(term.getNamespaces());
        LabelMatcher nsSelector = term.getNamespaceSelector() == null
                ? LabelMatcher.NOTHING : LabelMatcher.of(term.getNamespaceSelector());
        if (namespaces.isEmpty() && term.getNamespaceSelector() == null) namespaces = Set.of(ownerNamespace);
        LabelMatcher selector = LabelMatcher.of(term.getLabelSelector());
        List<String> countKeys = null;
        if (nsSelector.isNothing() && selector.singleKey() != null) {
            countKeys = namespaces.stream()
                    .map(ns -> NodeInfo.labelCountKey(ns, selector.singleKey(), selector.singleValue())).toList();
        }
        return new AffinityTerm(namespaces, nsSelector, selector,
                term.getTopologyKey() == null ? "" : term.getTopologyKey(), weight, countKeys);
    }

    /**
     * How many pods on the node this term selects, from the node's label counts; -1 when the term is not a
     * one-label selector over named namespaces and the pods must be matched one by one.
     */
    public int countOn(NodeInfo node) {
        if (countKeys == null) return -1;
        int n = 0;
        for (String k : countKeys) n += node.podsWithLabel(k, false);
        return n;
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

    /**
     * Whether {@code pod} is selected by this term, looking up its namespace's labels in the cluster only when
     * the term has a namespaceSelector and does not name the namespace (the lookup is the costly part of a scan
     * over every pod).
     */
    public boolean matches(PodInfo pod, ClusterView cluster) {
        if (!selector.matches(pod.labels())) return false;
        if (namespaces.contains(pod.namespace())) return true;
        return !namespaceSelector.isNothing() && namespaceSelector.matches(cluster.namespaceLabels(pod.namespace()));
    }
}
