package io.kube4j.scheduler.framework;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@code LabelSelector} object compiled once for fast matching: a null selector matches nothing (as
 * Kubernetes' {@code LabelSelectorAsSelector} treats it in affinity terms), an empty one everything.
 *
 * <p>Immutable and thread-safe.
 */
public final class LabelMatcher {

    public static final LabelMatcher NOTHING = new LabelMatcher(new Req[0], true);
    public static final LabelMatcher EVERYTHING = new LabelMatcher(new Req[0], false);

    private enum Op { IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

    private record Req(String key, Op op, Set<String> values) {
        boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (op) {
                case IN -> v != null && values.contains(v);
                case NOT_IN -> v == null || !values.contains(v);
                case EXISTS -> v != null;
                case DOES_NOT_EXIST -> v == null;
            };
        }
    }

    private final Req[] requirements;
    private final boolean nothing;

    private LabelMatcher(Req[] requirements, boolean nothing) {
        this.requirements = requirements;
        this.nothing = nothing;
    }

    /** The matcher of a selector; an unknown operator makes it match nothing, as an invalid selector does. */
    public static LabelMatcher of(LabelSelector selector) {
        if (selector == null) return NOTHING;
        List<Req> reqs = new ArrayList<>();
        if (selector.getMatchLabels() != null) {
            selector.getMatchLabels().forEach((k, v) -> reqs.add(new Req(k, Op.IN, Set.of(v))));
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                Op op = switch (r.getOperator() == null ? "" : r.getOperator()) {
                    case "In" -> Op.IN;
                    case "NotIn" -> Op.NOT_IN;
                    case "Exists" -> Op.EXISTS;
                    case "DoesNotExist" -> Op.DOES_NOT_EXIST;
                    default -> null;
                };
                if (op == null) return NOTHING;
                reqs.add(new Req(r.getKey(), op, r.getValues() == null ? Set.of() : Set.copyOf(r.getValues())));
            }
        }
        return reqs.isEmpty() ? EVERYTHING : new LabelMatcher(reqs.toArray(Req[]::new), false);
    }

    /** The matcher of equality on every pair of {@code labels} (a nodeSelector, a matchLabels map). */
    public static LabelMatcher ofMap(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) return EVERYTHING;
        return new LabelMatcher(labels.entrySet().stream()
                .map(e -> new Req(e.getKey(), Op.IN, Set.of(e.getValue()))).toArray(Req[]::new), false);
    }

    /** Whether the labels (null is none) satisfy every requirement. */
    public boolean matches(Map<String, String> labels) {
        if (nothing) return false;
        if (requirements.length == 0) return true;
        Map<String, String> l = labels == null ? Map.of() : labels;
        for (Req r : requirements) {
            if (!r.matches(l)) return false;
        }
        return true;
    }

    public boolean isEverything() {
        return !nothing && requirements.length == 0;
    }

    public boolean isNothing() {
        return nothing;
    }
}
