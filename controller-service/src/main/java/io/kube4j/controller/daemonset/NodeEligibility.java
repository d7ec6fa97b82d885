package io.kube4j.controller.daemonset;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.List;
import java.util.Map;

/**
 * Whether a DaemonSet's pod belongs on a node, as kube-controller-manager's
 * {@code NodeShouldRunDaemonPod} decides it from the pod the set would create there (its default
 * tolerations included): the template's {@code nodeName}, {@code nodeSelector} and required node
 * affinity must match the node; a NoSchedule or NoExecute taint the pod does not tolerate keeps a
 * new pod off the node, and only an untolerated NoExecute taint evicts a running one. Node
 * readiness and {@code spec.unschedulable} are not looked at: the default tolerations cover
 * their taints. Pure functions.
 */
public final class NodeEligibility {

    /** Where a daemon pod stands on a node: whether one should be created there, and whether one there may stay. */
    public record Verdict(boolean shouldRun, boolean shouldContinueRunning) {
        static final Verdict RUN = new Verdict(true, true);
        static final Verdict NEVER = new Verdict(false, false);
    }

    private NodeEligibility() {}

    /** The verdict for a pod with {@code spec} (the one the set creates, tolerations defaulted) on {@code node}. */
    public static Verdict of(PodSpec spec, Node node) {
        String name = node.getMetadata().getName();
        Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
        if (spec.getNodeName() != null && !spec.getNodeName().isEmpty() && !spec.getNodeName().equals(name)) return Verdict.NEVER;
        if (spec.getNodeSelector() != null) {
            for (var e : spec.getNodeSelector().entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) return Verdict.NEVER;
            }
        }
        NodeSelector required = spec.getAffinity() == null || spec.getAffinity().getNodeAffinity() == null ? null
                : spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
        if (required != null && !matches(required, name, labels)) return Verdict.NEVER;
        List<Taint> taints = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
        List<Toleration> tolerations = spec.getTolerations() == null ? List.of() : spec.getTolerations();
        boolean fits = true;
        boolean evicted = false;
        for (Taint taint : taints) {
            String effect = taint.getEffect();
            if (!"NoSchedule".equals(effect) && !"NoExecute".equals(effect)) continue;
            if (tolerated(tolerations, taint)) continue;
            fits = false;
            if ("NoExecute".equals(effect)) evicted = true;
        }
        return fits ? Verdict.RUN : new Verdict(false, !evicted);
    }

    /** Whether a node selector's terms (ORed; an empty term matches nothing) accept the node. */
    public static boolean matches(NodeSelector selector, String nodeName, Map<String, String> labels) {
        for (NodeSelectorTerm term : selector.getNodeSelectorTerms() == null ? List.<NodeSelectorTerm>of() : selector.getNodeSelectorTerms()) {
            List<NodeSelectorRequirement> expressions = term.getMatchExpressions() == null ? List.of() : term.getMatchExpressions();
            List<NodeSelectorRequirement> fields = term.getMatchFields() == null ? List.of() : term.getMatchFields();
            if (expressions.isEmpty() && fields.isEmpty()) continue;
            boolean all = true;
            for (NodeSelectorRequirement r : expressions) all &= requirement(r, labels.get(r.getKey()));
            for (NodeSelectorRequirement r : fields) all &= "metadata.name".equals(r.getKey()) && requirement(r, nodeName);
            if (all) return true;
        }
        return false;
    }

    private static boolean requirement(NodeSelectorRequirement r, String value) {
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        return switch (r.getOperator() == null ? "" : r.getOperator()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            case "Gt", "Lt" -> {
                if (value == null || values.size() != 1) yield false;
                try {
                    long actual = Long.parseLong(value);
                    long bound = Long.parseLong(values.getFirst());
                    yield "Gt".equals(r.getOperator()) ? actual > bound : actual < bound;
                } catch (NumberFormatException e) {
                    yield false;
                }
            }
            default -> false;
        };
    }

    /** Kubernetes' toleration rule: empty effect and (with Exists) empty key match all; Equal (the default) compares values. */
    static boolean tolerated(List<Toleration> tolerations, Taint taint) {
        for (Toleration t : tolerations) {
            if (t.getEffect() != null && !t.getEffect().isEmpty() && !t.getEffect().equals(taint.getEffect())) continue;
            if (t.getKey() != null && !t.getKey().isEmpty() && !t.getKey().equals(taint.getKey())) continue;
            String op = t.getOperator() == null || t.getOperator().isEmpty() ? "Equal" : t.getOperator();
            if (op.equals("Exists")) return true;
            if (op.equals("Equal") && nullToEmpty(t.getValue()).equals(nullToEmpty(taint.getValue()))) return true;
        }
        return false;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
