package io.kube4j.controller.autoscaling;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReplicaCalculatorTest {

    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    /**
     * Pods {@code name:state:request:usage} separated by spaces: state {@code r} Running and Ready for
     * long, {@code n} Running and never Ready (not Ready since 10 s after its start), {@code s} Ready 10 s ago after starting a minute ago
     * (its sample predates a full window of readiness), {@code x} not Ready for 5 minutes after long readiness, {@code P} Pending, {@code F} Failed,
     * {@code D} being deleted; request {@code -} for none; usage {@code -} for no sample.
     */
    static List<Pod> pods(String list, String resource) {
        List<Pod> pods = new ArrayList<>();
        for (String p : list.split(" ")) {
            String[] f = p.split(":");
            var b = new PodBuilder().withNewMetadata().withNamespace("default").withName(f[0]).endMetadata()
                    .withNewSpec().addNewContainer().withName("c").withImage("i").endContainer().endSpec()
                    .withNewStatus().withPhase("Running").withStartTime(NOW.minus(Duration.ofMinutes(30)).toString()).endStatus();
            if (!f[2].equals("-")) {
                b.editSpec().editFirstContainer().withNewResources().addToRequests(resource, new Quantity(f[2] + ("cpu".equals(resource) ? "m" : "Mi")))
                        .endResources().endContainer().endSpec();
            }
            switch (f[1]) {
                case "r" -> b.editStatus().addNewCondition().withType("Ready").withStatus("True").withLastTransitionTime(NOW.minus(Duration.ofMinutes(29)).toString()).endCondition().endStatus();
                case "n" -> b.editStatus().addNewCondition().withType("Ready").withStatus("False").withLastTransitionTime(NOW.minus(Duration.ofMinutes(30)).plusSeconds(10).toString()).endCondition().endStatus();
                case "s" -> b.editStatus().withStartTime(NOW.minus(Duration.ofMinutes(1)).toString()).addNewCondition().withType("Ready").withStatus("True")
                        .withLastTransitionTime(NOW.minusSeconds(10).toString()).endCondition().endStatus();
                case "x" -> b.editStatus().addNewCondition().withType("Ready").withStatus("False").withLastTransitionTime(NOW.minus(Duration.ofMinutes(5)).toString()).endCondition().endStatus();
                case "P" -> b.editStatus().withPhase("Pending").endStatus();
                case "F" -> b.editStatus().withPhase("Failed").endStatus();
                case "D" -> b.editMetadata().withDeletionTimestamp(NOW.toString()).endMetadata();
                default -> throw new IllegalArgumentException(f[1]);
            }
            pods.add(b.build());
        }
        return pods;
    }

    static Map<String, PodMetricsSource.Sample> samples(String list, String resource) {
        Map<String, PodMetricsSource.Sample> samples = new HashMap<>();
        for (String p : list.split(" ")) {
            String[] f = p.split(":");
            if (f[3].equals("-")) continue;
            long usage = Long.parseLong(f[3]);
            samples.put(f[0], "cpu".equals(resource)
                    ? new PodMetricsSource.Sample(usage, 0, NOW.minusSeconds(5), Duration.ofSeconds(30))
                    : new PodMetricsSource.Sample(0, usage * 1024 * 1024, NOW.minusSeconds(5), Duration.ofSeconds(30)));
        }
        return samples;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // case | current | metric (resource:utilization% or resource:average) | pods | replicas/utilization, or the error's start
            "within 10% of the target nothing changes | 2 | cpu:50% | a:r:100:52 b:r:100:54 | 2/53",
            "twice the target doubles | 2 | cpu:50% | a:r:100:100 b:r:100:100 | 4/100",
            "a fifth of the target shrinks to a fifth | 4 | cpu:50% | a:r:100:10 b:r:100:10 c:r:100:10 d:r:100:10 | 1/10",
            "the ratio applies to the ready pods counted | 3 | cpu:50% | a:r:200:150 b:r:100:75 c:r:100:75 | 5/75",
            "a pod without a sample counts as idle on a scale-up | 3 | cpu:50% | a:r:100:100 b:r:100:100 c:r:100:- | 4/100",
            "a pod without a sample counts as fully busy on a scale-down, which may cancel it | 2 | cpu:50% | a:r:100:10 b:r:100:- | 2/10",
            "an unready pod counts as idle on a scale-up, which may cancel it | 2 | cpu:50% | a:r:100:100 b:n:100:100 | 2/100",
            "an unready pod is not counted on a scale-down | 4 | cpu:50% | a:r:100:10 b:r:100:10 c:n:100:90 d:r:100:10 | 1/10",
            "a starting pod whose sample predates its readiness is unready | 2 | cpu:50% | a:r:100:100 b:s:100:100 | 2/100",
            "a pod that was Ready and is no more still counts for CPU | 2 | cpu:50% | a:r:100:100 b:x:100:100 | 4/100",
            "for memory readiness does not matter | 2 | memory:50% | a:r:100:100 b:n:100:100 | 4/100",
            "pending, failed and deleted pods are ignored | 2 | cpu:50% | a:r:100:100 b:P:100:- c:F:100:- d:D:100:100 | 2/100",
            "an average value target | 2 | memory:100 | a:r:-:200 b:r:-:200 | 4/-",
            "an average value below target | 4 | memory:100 | a:r:-:20 b:r:-:20 c:r:-:20 d:r:-:20 | 1/-",
            "a container without a request | 2 | cpu:50% | a:r:100:100 b:r:-:100 | missing request for cpu",
            "no pod has a sample | 2 | cpu:50% | a:r:100:- b:r:100:- | did not receive metrics",
            "only pending pods | 2 | cpu:50% | a:P:100:- | did not receive metrics",
    })
    void computesReplicas(String name, int current, String metric, String podList, String expected) {
        String resource = metric.split(":")[0];
        String target = metric.split(":")[1];
        Integer utilization = target.endsWith("%") ? Integer.parseInt(target.substring(0, target.length() - 1)) : null;
        Long average = utilization == null ? Long.parseLong(target) * 1024 * 1024 : null;
        var outcome = ReplicaCalculator.resource(current, resource, utilization, average, pods(podList, resource), samples(podList, resource), NOW);
        if (Character.isDigit(expected.charAt(0))) {
            assertThat(outcome.error()).isNull();
            assertThat(outcome.replicas() + "/" + (outcome.utilization() == null ? "-" : outcome.utilization())).isEqualTo(expected);
        } else {
            assertThat(outcome.error()).startsWith(expected);
        }
    }

    @org.junit.jupiter.api.Test
    void noPodsIsAnError() {
        assertThat(ReplicaCalculator.resource(1, "cpu", 50, null, List.of(), Map.of(), NOW).error())
                .isEqualTo("no pods returned by selector while calculating replica count");
    }

    @org.junit.jupiter.api.Test
    void aPodMetricsListIsRead() {
        var samples = PodMetricsSource.parse("""
                {"kind":"PodMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},"items":[
                 {"metadata":{"name":"a","namespace":"default"},"timestamp":"2026-01-01T12:00:00Z","window":"30s",
                  "containers":[{"name":"x","usage":{"cpu":"250m","memory":"64Mi"}},{"name":"y","usage":{"cpu":"12500000n","memory":"1Mi"}}]}]}
                """);
        assertThat(samples.get("a")).isEqualTo(new PodMetricsSource.Sample(262, 65 * 1024 * 1024, NOW, Duration.ofSeconds(30)));
    }
}
