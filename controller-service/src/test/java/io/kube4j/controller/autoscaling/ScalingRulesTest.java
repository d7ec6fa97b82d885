package io.kube4j.controller.autoscaling;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingPolicy;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ScalingRulesTest {

    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    /** {@code -} for none, else {@code up=window:Pods4/15,Percent100/15:Max down=…} (an empty window leaves it unset). */
    static HorizontalPodAutoscalerBehavior behavior(String text) {
        if (text.equals("-")) return null;
        HorizontalPodAutoscalerBehavior behavior = new HorizontalPodAutoscalerBehavior();
        for (String part : text.split(" ")) {
            String[] kv = part.split("=");
            String[] f = kv[1].split(":", -1);
            HPAScalingRules rules = new HPAScalingRules();
            if (!f[0].isEmpty()) rules.setStabilizationWindowSeconds(Integer.parseInt(f[0]));
            List<HPAScalingPolicy> policies = new ArrayList<>();
            for (String p : f[1].split(",")) {
                String type = p.startsWith("Pods") ? "Pods" : "Percent";
                String[] vp = p.substring(type.length()).split("/");
                policies.add(new HPAScalingPolicy(Integer.parseInt(vp[1]), type, Integer.parseInt(vp[0])));
            }
            rules.setPolicies(policies);
            rules.setSelectPolicy(f[2]);
            if (kv[0].equals("up")) behavior.setScaleUp(rules);
            else behavior.setScaleDown(rules);
        }
        return behavior;
    }

    /** {@code value@secondsAgo} separated by spaces, {@code -} for none. */
    static List<ScalingRules.Timed> timed(String text) {
        List<ScalingRules.Timed> list = new ArrayList<>();
        if (text.equals("-")) return list;
        for (String t : text.split(" ")) {
            String[] f = t.split("@");
            list.add(new ScalingRules.Timed(Integer.parseInt(f[0]), NOW.minusSeconds(Long.parseLong(f[1]))));
        }
        return list;
    }

    static final String DEFAULTS = "up=0:Pods4/15,Percent100/15:Max down=:Percent100/15:Max";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // case | current | desired | min | max | behavior | recommendations | scale-ups | scale-downs | replicas/AbleToScale/ScalingLimited
            "no behavior: up within range | 2 | 4 | 1 | 10 | - | - | - | - | 4/ReadyForNewScale/DesiredWithinRange",
            "no behavior: at most double (or 4) at once | 2 | 10 | 1 | 20 | - | - | - | - | 4/ReadyForNewScale/ScaleUpLimit",
            "no behavior: at most max | 2 | 10 | 1 | 3 | - | - | - | - | 3/ReadyForNewScale/TooManyReplicas",
            "no behavior: at least min | 3 | 0 | 1 | 10 | - | - | - | - | 1/ReadyForNewScale/TooFewReplicas",
            "no behavior: a higher recommendation of the last 5 minutes holds a scale-down | 5 | 2 | 1 | 10 | - | 5@60 4@200 | - | - | 5/ScaleDownStabilized/DesiredWithinRange",
            "no behavior: the highest in the window wins | 5 | 2 | 1 | 10 | - | 3@60 4@200 | - | - | 4/ScaleDownStabilized/DesiredWithinRange",
            "no behavior: older recommendations are forgotten | 5 | 2 | 1 | 10 | - | 5@301 | - | - | 2/ReadyForNewScale/DesiredWithinRange",
            "defaults: up by the larger of 4 pods and 100% | 2 | 20 | 1 | 50 | " + DEFAULTS + " | - | - | - | 6/ReadyForNewScale/ScaleUpLimit",
            "defaults: a recent scale-up counts against the period | 6 | 20 | 1 | 50 | " + DEFAULTS + " | - | 4@5 | - | 6/ReadyForNewScale/ScaleUpLimit",
            "defaults: the period over, up again | 6 | 20 | 1 | 50 | " + DEFAULTS + " | - | 4@16 | - | 12/ReadyForNewScale/ScaleUpLimit",
            "defaults: down stabilized for 300 s | 5 | 1 | 1 | 10 | " + DEFAULTS + " | 5@100 | - | - | 5/ScaleDownStabilized/DesiredWithinRange",
            "defaults: down at once after 300 s | 5 | 1 | 1 | 10 | " + DEFAULTS + " | 5@301 | - | - | 1/ReadyForNewScale/DesiredWithinRange",
            "a Pods policy limits a scale-down | 5 | 1 | 1 | 10 | down=0:Pods1/60:Max | - | - | - | 4/ReadyForNewScale/ScaleDownLimit",
            "Min picks the smaller change | 10 | 1 | 1 | 10 | down=0:Pods5/60,Percent10/60:Min | - | - | - | 9/ReadyForNewScale/ScaleDownLimit",
            "Max picks the bigger change | 10 | 1 | 1 | 10 | down=0:Pods5/60,Percent10/60:Max | - | - | - | 5/ReadyForNewScale/ScaleDownLimit",
            "an up window takes the lowest recent recommendation | 2 | 8 | 1 | 10 | up=60:Pods10/15:Max | 3@30 | - | - | 3/ScaleUpStabilized/DesiredWithinRange",
            "Disabled scale-down keeps the count | 5 | 1 | 1 | 10 | down=0:Percent100/15:Disabled | - | - | - | 5/ReadyForNewScale/ScaleDownLimit",
    })
    void normalizes(String name, int current, int desired, int min, int max, String behavior, String recommendations,
                    String ups, String downs, String expected) {
        var decision = ScalingRules.normalize(current, desired, min, max, behavior(behavior), timed(recommendations), timed(ups), timed(downs), NOW);
        assertThat(decision.replicas() + "/" + decision.ableToScale().reason() + "/" + decision.limited().reason()).isEqualTo(expected);
    }
}
