package io.kube4j.controller.autoscaling;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingPolicy;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * From the replicas the metrics ask for to the replicas the target gets — kube-controller-manager's
 * normalization. Without {@code behavior}: the highest recommendation of the last five minutes
 * (so a dip does not scale down at once), then min/max and a scale-up of at most
 * {@code max(2 × current, 4)}. With {@code behavior}: the recommendation is held between the
 * lowest of the scale-up window and the highest of the scale-down window (300 s when not given),
 * then limited by the policies — Pods or Percent per period, counted from the replicas the target
 * had at the period's start — chosen by selectPolicy (Max, Min, Disabled), then min/max.
 * Pure functions over the recommendation and scale-event history the caller keeps.
 */
public final class ScalingRules {

    public static final Duration DEFAULT_DOWNSCALE_WINDOW = Duration.ofMinutes(5);

    /** A recommendation, or a scale event's change in replicas, at a time. */
    public record Timed(int value, Instant at) {}

    /** A condition's status, reason and message. */
    public record Condition(String status, String reason, String message) {}

    /**
     * @param replicas    the replicas the target gets
     * @param ableToScale the AbleToScale condition
     * @param limited     the ScalingLimited condition
     */
    public record Decision(int replicas, Condition ableToScale, Condition limited) {}

    private ScalingRules() {}

    /**
     * @param recommendations the recent recommendations (not including {@code desired})
     * @param scaleUps        recent scale-ups (replicas added) and {@code scaleDowns} (replicas removed)
     */
    public static Decision normalize(int current, int desired, int min, int max, HorizontalPodAutoscalerBehavior behavior,
                                     List<Timed> recommendations, List<Timed> scaleUps, List<Timed> scaleDowns, Instant now) {
        if (behavior == null) {
            int stabilized = desired;
            Instant cutoff = now.minus(DEFAULT_DOWNSCALE_WINDOW);
            for (Timed r : recommendations) if (r.at().isAfter(cutoff)) stabilized = Math.max(stabilized, r.value());
            Condition able = stabilized != desired
                    ? new Condition("True", "ScaleDownStabilized", "recent recommendations were higher than current one, applying the highest recent recommendation")
                    : new Condition("True", "ReadyForNewScale", "recommended size matches current size");
            int scaleUpLimit = Math.max(2 * current, 4);
            String limitReason, limitMessage;
            int maximum;
            if (max > scaleUpLimit) {
                maximum = scaleUpLimit;
                limitReason = "ScaleUpLimit";
                limitMessage = "the desired replica count is increasing faster than the maximum scale rate";
            } else {
                maximum = max;
                limitReason = "TooManyReplicas";
                limitMessage = "the desired replica count is more than the maximum replica count";
            }
            if (stabilized < min) {
                return new Decision(min, able, new Condition("True", "TooFewReplicas", "the desired replica count is less than the minimum replica count"));
            }
            if (stabilized > maximum) return new Decision(maximum, able, new Condition("True", limitReason, limitMessage));
            return new Decision(stabilized, able, new Condition("False", "DesiredWithinRange", "the desired count is within the acceptable range"));
        }

        HPAScalingRules up = behavior.getScaleUp();
        HPAScalingRules down = behavior.getScaleDown();
        int upWindow = up == null || up.getStabilizationWindowSeconds() == null ? 0 : up.getStabilizationWindowSeconds();
        int downWindow = down == null || down.getStabilizationWindowSeconds() == null
                ? (int) DEFAULT_DOWNSCALE_WINDOW.toSeconds() : down.getStabilizationWindowSeconds();
        Instant upCutoff = now.minusSeconds(upWindow), downCutoff = now.minusSeconds(downWindow);
        int upRecommendation = desired, downRecommendation = desired;
        for (Timed r : recommendations) {
            if (r.at().isAfter(upCutoff)) upRecommendation = Math.min(upRecommendation, r.value());
            if (r.at().isAfter(downCutoff)) downRecommendation = Math.max(downRecommendation, r.value());
        }
        int stabilized = Math.min(Math.max(current, upRecommendation), downRecommendation);
        Condition able = stabilized == desired
                ? new Condition("True", "ReadyForNewScale", "recommended size matches current size")
                : desired >= current
                ? new Condition("True", "ScaleUpStabilized", "recent recommendations were lower than current one, applying the lowest recent recommendation")
                : new Condition("True", "ScaleDownStabilized", "recent recommendations were higher than current one, applying the highest recent recommendation");

        Condition within = new Condition("False", "DesiredWithinRange", "the desired count is within the acceptable range");
        if (stabilized > current) {
            int limit = Math.max(current, scaleUpLimit(current, scaleUps, scaleDowns, up, now));
            int maximum;
            Condition limited;
            if (limit < max) {
                maximum = limit;
                limited = new Condition("True", "ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate");
            } else {
                maximum = max;
                limited = new Condition("True", "TooManyReplicas", "the desired replica count is more than the maximum replica count");
            }
            return stabilized > maximum ? new Decision(maximum, able, limited) : new Decision(stabilized, able, within);
        }
        if (stabilized < current) {
            int limit = Math.min(current, scaleDownLimit(current, scaleUps, scaleDowns, down, now));
            int minimum;
            Condition limited;
            if (limit > min) {
                minimum = limit;
                limited = new Condition("True", "ScaleDownLimit", "the desired replica count is decreasing faster than the maximum scale rate");
            } else {
                minimum = min;
                limited = new Condition("True", "TooFewReplicas", "the desired replica count is less than the minimum replica count");
            }
            return stabilized < minimum ? new Decision(minimum, able, limited) : new Decision(stabilized, able, within);
        }
        return new Decision(stabilized, able, within);
    }

    static int scaleUpLimit(int current, List<Timed> scaleUps, List<Timed> scaleDowns, HPAScalingRules rules, Instant now) {
        String select = rules == null || rules.getSelectPolicy() == null ? "Max" : rules.getSelectPolicy();
        if (select.equals("Disabled")) return current;
        List<HPAScalingPolicy> policies = rules == null || rules.getPolicies() == null || rules.getPolicies().isEmpty()
                ? List.of(policy("Pods", 4, 15), policy("Percent", 100, 15)) : rules.getPolicies();
        boolean min = select.equals("Min");
        int result = min ? Integer.MAX_VALUE : Integer.MIN_VALUE;
        for (HPAScalingPolicy p : policies) {
            int start = current - changeIn(p, scaleUps, now) + changeIn(p, scaleDowns, now);
            int proposed = "Pods".equals(p.getType()) ? start + p.getValue() : (int) Math.ceil(start * (1 + p.getValue() / 100.0));
            result = min ? Math.min(result, proposed) : Math.max(result, proposed);
        }
        return result;
    }

    static int scaleDownLimit(int current, List<Timed> scaleUps, List<Timed> scaleDowns, HPAScalingRules rules, Instant now) {
        String select = rules == null || rules.getSelectPolicy() == null ? "Max" : rules.getSelectPolicy();
        if (select.equals("Disabled")) return current;
        List<HPAScalingPolicy> policies = rules == null || rules.getPolicies() == null || rules.getPolicies().isEmpty()
                ? List.of(policy("Percent", 100, 15)) : rules.getPolicies();
        // Max picks the policy that allows the biggest change: for a scale-down, the lowest limit.
        boolean max = !select.equals("Min");
        int result = max ? Integer.MAX_VALUE : Integer.MIN_VALUE;
        for (HPAScalingPolicy p : policies) {
            int start = current - changeIn(p, scaleUps, now) + changeIn(p, scaleDowns, now);
            int proposed = "Pods".equals(p.getType()) ? start - p.getValue() : (int) (start * (1 - p.getValue() / 100.0));
            result = max ? Math.min(result, proposed) : Math.max(result, proposed);
        }
        return result;
    }

    private static int changeIn(HPAScalingPolicy policy, List<Timed> events, Instant now) {
        Instant cutoff = now.minusSeconds(policy.getPeriodSeconds());
        int sum = 0;
        for (Timed e : events) if (e.at().isAfter(cutoff)) sum += e.value();
        return sum;
    }

    private static HPAScalingPolicy policy(String type, int value, int period) {
        return new HPAScalingPolicy(period, type, value);
    }
}
