package io.kube4j.controller.autoscaling;

import io.kube4j.testsupport.MutableClock;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition;
import io.kube4j.machinery.client.FakeObjectClient;
import io.kube4j.machinery.events.RecordingEventRecorder;
import io.kube4j.machinery.informer.IndexedCache;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HorizontalPodAutoscalerReconcilerTest {

    final IndexedCache<HorizontalPodAutoscaler> autoscalers = new IndexedCache<>();
    final IndexedCache<Pod> pods = new IndexedCache<>();
    final FakeObjectClient fake = new FakeObjectClient();
    final RecordingEventRecorder events = new RecordingEventRecorder();
    final Map<String, Integer> replicas = new HashMap<>(Map.of("web", 2));
    final Map<String, PodMetricsSource.Sample> samples = new HashMap<>();
    RuntimeException metricsFailure;
    final MutableClock clock = new MutableClock(ReplicaCalculatorTest.NOW);

    final TargetScale scales = new TargetScale() {
        @Override
        public Current get(String namespace, CrossVersionObjectReference target) {
            return new Current(replicas.get(target.getName()), "app=web");
        }

        @Override
        public void set(String namespace, CrossVersionObjectReference target, int count) {
            replicas.put(target.getName(), count);
        }
    };

    final HorizontalPodAutoscalerReconciler reconciler = new HorizontalPodAutoscalerReconciler(autoscalers, pods, scales, (ns, selector) -> {
        if (metricsFailure != null) throw metricsFailure;
        assertThat(selector).isEqualTo("app=web");
        return samples;
    }, fake, events, clock);

    void seed() {
        var hpa = new HorizontalPodAutoscalerBuilder().withApiVersion("autoscaling/v2").withKind("HorizontalPodAutoscaler")
                .withNewMetadata().withNamespace("default").withName("web").withGeneration(1L).endMetadata()
                .withNewSpec().withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName("web").endScaleTargetRef()
                .withMinReplicas(1).withMaxReplicas(10)
                .addNewMetric().withType("Resource").withNewResource().withName("cpu").withNewTarget().withType("Utilization")
                .withAverageUtilization(50).endTarget().endResource().endMetric().endSpec().build();
        autoscalers.put(fake.seed(hpa));
        for (Pod pod : ReplicaCalculatorTest.pods("web-1:r:100:0 web-2:r:100:0", "cpu")) {
            pod.getMetadata().setLabels(Map.of("app", "web"));
            pods.put(pod);
        }
    }

    void usage(long millis) {
        for (String pod : new String[]{"web-1", "web-2"}) samples.put(pod, new PodMetricsSource.Sample(millis, 0, clock.instant().minusSeconds(5), Duration.ofSeconds(30)));
    }

    HorizontalPodAutoscaler stored() {
        HorizontalPodAutoscaler hpa = fake.get(HorizontalPodAutoscaler.class, "default", "web").orElseThrow();
        autoscalers.put(hpa);
        return hpa;
    }

    String condition(HorizontalPodAutoscaler hpa, String type) {
        HorizontalPodAutoscalerCondition c = hpa.getStatus().getConditions().stream().filter(x -> x.getType().equals(type)).findFirst().orElseThrow();
        return c.getStatus() + " " + c.getReason();
    }

    @Test
    void scalesUpUnderLoadAndDownOnlyAfterTheStabilizationWindow() {
        seed();
        usage(100);

        assertThat(reconciler.reconcile("default/web").requeueAfter()).isEqualTo(Duration.ofSeconds(15));

        assertThat(replicas.get("web")).isEqualTo(4);
        HorizontalPodAutoscaler hpa = stored();
        assertThat(hpa.getStatus().getCurrentReplicas()).isEqualTo(2);
        assertThat(hpa.getStatus().getDesiredReplicas()).isEqualTo(4);
        assertThat(hpa.getStatus().getCurrentMetrics()).singleElement().satisfies(m -> {
            assertThat(m.getResource().getName()).isEqualTo("cpu");
            assertThat(m.getResource().getCurrent().getAverageUtilization()).isEqualTo(100);
        });
        assertThat(hpa.getStatus().getLastScaleTime()).isEqualTo("2026-01-01T12:00:00Z");
        assertThat(condition(hpa, "AbleToScale")).isEqualTo("True SucceededRescale");
        assertThat(condition(hpa, "ScalingActive")).isEqualTo("True ValidMetricFound");
        assertThat(events.events()).contains("Normal SuccessfulRescale default/web: New size: 4; reason: cpu resource utilization (percentage of request) above target");

        // The load is gone: the recommendation of a minute ago (4) holds the size for five minutes.
        usage(5);
        clock.advance(Duration.ofSeconds(60));
        reconciler.reconcile("default/web");
        assertThat(replicas.get("web")).isEqualTo(4);
        assertThat(condition(stored(), "AbleToScale")).isEqualTo("True ScaleDownStabilized");

        clock.advance(Duration.ofSeconds(301));
        reconciler.reconcile("default/web");
        assertThat(replicas.get("web")).isEqualTo(1);
        assertThat(events.events()).contains("Normal SuccessfulRescale default/web: New size: 1; reason: All metrics below target");
    }

    @Test
    void metricsThatCannotBeReadMakeScalingInactive() {
        seed();
        metricsFailure = new IllegalStateException("the metrics API is unavailable");

        reconciler.reconcile("default/web");

        assertThat(replicas.get("web")).isEqualTo(2);
        HorizontalPodAutoscaler hpa = stored();
        assertThat(condition(hpa, "ScalingActive")).isEqualTo("False FailedGetResourceMetric");
        assertThat(hpa.getStatus().getDesiredReplicas()).isEqualTo(2);
    }

    @Test
    void aTargetAtZeroIsNotScaled() {
        seed();
        replicas.put("web", 0);
        reconciler.reconcile("default/web");
        assertThat(replicas.get("web")).isZero();
        assertThat(condition(stored(), "ScalingActive")).isEqualTo("False ScalingDisabled");
    }
}
