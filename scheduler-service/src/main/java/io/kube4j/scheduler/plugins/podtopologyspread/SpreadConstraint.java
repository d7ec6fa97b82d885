package io.kube4j.scheduler.plugins.podtopologyspread;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.kube4j.scheduler.framework.LabelMatcher;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.plugins.tainttoleration.Tolerations;

import java.util.ArrayList;
import java.util.List;

/**
 * A topology spread constraint compiled: its selector (with {@code matchLabelKeys} folded in as the pod's own
 * values), its skew, its minimum domain count and its node inclusion policies ({@code nodeAffinityPolicy}
 * Honor by default, {@code nodeTaintsPolicy} Ignore by default).
 */
record SpreadConstraint(String topologyKey, int maxSkew, LabelMatcher selector, int minDomains,
                        boolean honorNodeAffinity, boolean honorTaints) {

    static List<SpreadConstraint> of(PodInfo pod, String whenUnsatisfiable) {
        List<SpreadConstraint> out = new ArrayList<>();
        for (TopologySpreadConstraint c : pod.spreadConstraints()) {
            String when = c.getWhenUnsatisfiable() == null ? "DoNotSchedule" : c.getWhenUnsatisfiable();
            if (!when.equals(whenUnsatisfiable)) continue;
            LabelSelector selector = c.getLabelSelector();
            if (selector != null && c.getMatchLabelKeys() != null && !c.getMatchLabelKeys().isEmpty()) {
                LabelSelectorBuilder b = new LabelSelectorBuilder(selector);
                for (String key : c.getMatchLabelKeys()) {
                    String value = pod.labels().get(key);
                    if (value != null) {
                        b.addToMatchExpressions(new LabelSelectorRequirementBuilder()
                                .withKey(key).withOperator("In").withValues(value).build());
                    }
                }
                selector = b.build();
            }
            out.add(new SpreadConstraint(c.getTopologyKey(), c.getMaxSkew() == null ? 1 : c.getMaxSkew(),
                    LabelMatcher.of(selector), c.getMinDomains() == null ? 1 : c.getMinDomains(),
                    !"Ignore".equals(c.getNodeAffinityPolicy()), "Honor".equals(c.getNodeTaintsPolicy())));
        }
        return out;
    }

    /** Whether the node counts for this constraint under its inclusion policies. */
    boolean includes(PodInfo pod, NodeInfo node) {
        if (honorNodeAffinity && !pod.matchesNodeSelectorAndAffinity(node.name(), node.labels())) return false;
        return !honorTaints || Tolerations.firstUntolerated(node.taints(), pod.tolerations(),
                t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect())) == null;
    }

    /** The pods on the node, in the namespace, not terminating, that the selector picks. */
    long countMatching(NodeInfo node, String namespace) {
        long n = 0;
        for (PodInfo p : node.pods()) {
            if (!p.terminating() && p.namespace().equals(namespace) && selector.matches(p.labels())) n++;
        }
        return n;
    }

    /** Whether the node carries the topology key of every constraint. */
    static boolean nodeHasAllKeys(NodeInfo node, List<SpreadConstraint> constraints) {
        for (SpreadConstraint c : constraints) if (!node.labels().containsKey(c.topologyKey)) return false;
        return true;
    }
}
