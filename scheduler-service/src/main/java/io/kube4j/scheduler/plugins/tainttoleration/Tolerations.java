package io.kube4j.scheduler.plugins.tainttoleration;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.List;
import java.util.function.Predicate;

/** Whether tolerations tolerate taints, by Kubernetes' rules. Pure functions. */
public final class Tolerations {

    private Tolerations() {
    }

    /**
     * Whether one toleration tolerates one taint: an empty effect matches every effect, an empty key (with
     * {@code Exists}) every key; {@code Equal} (the default operator) compares values, {@code Exists} ignores them.
     */
    public static boolean tolerates(Toleration toleration, Taint taint) {
        String effect = toleration.getEffect();
        if (effect != null && !effect.isEmpty() && !effect.equals(taint.getEffect())) return false;
        String key = toleration.getKey();
        if (key != null && !key.isEmpty() && !key.equals(taint.getKey())) return false;
        String op = toleration.getOperator();
        if (op == null || op.isEmpty() || op.equals("Equal")) {
            return nullToEmpty(toleration.getValue()).equals(nullToEmpty(taint.getValue()));
        }
        return op.equals("Exists");
    }

    public static boolean toleratedByAny(List<Toleration> tolerations, Taint taint) {
        for (Toleration t : tolerations) if (tolerates(t, taint)) return true;
        return false;
    }

    /** The first taint passing {@code considered} that no toleration tolerates, or null. */
    public static Taint firstUntolerated(List<Taint> taints, List<Toleration> tolerations, Predicate<Taint> considered) {
        for (Taint taint : taints) {
            if (considered.test(taint) && !toleratedByAny(tolerations, taint)) return taint;
        }
        return null;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
