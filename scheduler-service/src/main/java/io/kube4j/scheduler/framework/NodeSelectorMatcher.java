package io.kube4j.scheduler.framework;

import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node selector compiled for matching: the terms of {@code requiredDuringSchedulingIgnoredDuringExecution}
 * (ORed; each term's expressions and fields ANDed; an empty term matches nothing) with the operators In, NotIn,
 * Exists, DoesNotExist, Gt and Lt on labels, and In/NotIn on the field {@code metadata.name}.
 *
 * <p>Immutable and thread-safe.
 */
public final class NodeSelectorMatcher {

    private record Expr(String key, String op, Set<String> values, long bound, boolean boundValid) {
        boolean matches(String value) {
            return switch (op) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                case "Gt", "Lt" -> {
                    if (value == null || !boundValid) yield false;
                    long actual;
                    try {
                        actual = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        yield false;
                    }
                    yield op.equals("Gt") ? actual > bound : actual < bound;
                }
                default -> false;
            };
        }
    }

    private record Term(Expr[] labels, Expr[] fields) {
        boolean matches(String nodeName, Map<String, String> nodeLabels) {
            if (labels.length == 0 && fields.length == 0) return false;
            for (Expr e : labels) if (!e.matches(nodeLabels.get(e.key))) return false;
            for (Expr e : fields) {
                if (!e.key.equals("metadata.name") || !e.matches(nodeName)) return false;
            }
            return true;
        }
    }

    private final Term[] terms;

    private NodeSelectorMatcher(Term[] terms) {
        this.terms = terms;
    }

    /** The matcher of a NodeSelector; null matches every node. */
    public static NodeSelectorMatcher of(NodeSelector selector) {
        if (selector == null) return null;
        List<Term> terms = new ArrayList<>();
        for (NodeSelectorTerm t : selector.getNodeSelectorTerms()) terms.add(term(t));
        return new NodeSelectorMatcher(terms.toArray(Term[]::new));
    }

    /** The matcher of one term (a preferred term's preference). */
    public static NodeSelectorMatcher ofTerm(NodeSelectorTerm term) {
        return new NodeSelectorMatcher(new Term[]{term(term)});
    }

    private static Term term(NodeSelectorTerm t) {
        return new Term(exprs(t.getMatchExpressions()), exprs(t.getMatchFields()));
    }

    private static Expr[] exprs(List<NodeSelectorRequirement> reqs) {
        if (reqs == null) return new Expr[0];
        return reqs.stream().map(r -> {
            List<String> values = r.getValues() == null ? List.of() : r.getValues();
            long bound = 0;
            boolean valid = false;
            if (values.size() == 1) {
                try {
                    bound = Long.parseLong(values.getFirst());
                    valid = true;
                } catch (NumberFormatException ignored) {
                    // an unparsable bound matches no node, as kube-scheduler treats it
                }
            }
            return new Expr(r.getKey(), r.getOperator() == null ? "" : r.getOperator(), Set.copyOf(values), bound, valid);
        }).toArray(Expr[]::new);
    }

    /** Whether a node of this name and these labels satisfies one of the terms. */
    public boolean matches(String nodeName, Map<String, String> nodeLabels) {
        Map<String, String> labels = nodeLabels == null ? Map.of() : nodeLabels;
        for (Term t : terms) if (t.matches(nodeName, labels)) return true;
        return false;
    }

    /**
     * The node names this selector restricts to when every term is a sole {@code metadata.name In} field
     * expression, else null (no restriction known).
     */
    public Set<String> onlyNodeNames() {
        java.util.HashSet<String> names = new java.util.HashSet<>();
        for (Term t : terms) {
            if (t.labels.length != 0 || t.fields.length != 1) return null;
            Expr f = t.fields[0];
            if (!f.key.equals("metadata.name") || !f.op.equals("In")) return null;
            names.addAll(f.values);
        }
        return names;
    }
}
