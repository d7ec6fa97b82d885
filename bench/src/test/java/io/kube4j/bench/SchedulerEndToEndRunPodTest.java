package io.kube4j.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The end-to-end run's pods, sent as ready JSON: what a client reading them as Pods finds. */
class SchedulerEndToEndRunPodTest {

    @Test
    void podJsonIsTheRunsPodOnItsOwnNodes() {
        SchedulerEndToEndRun run = new SchedulerEndToEndRun(null, 1);
        Pod pod = Serialization.unmarshal(run.podJson("sbench-1", "pod-7", 107), Pod.class);

        assertThat(pod.getMetadata().getName()).isEqualTo("pod-7");
        assertThat(pod.getMetadata().getNamespace()).isEqualTo("sbench-1");
        assertThat(pod.getMetadata().getLabels()).isEqualTo(Map.of("app", "app-7"));
        assertThat(pod.getSpec().getContainers()).singleElement().satisfies(c -> {
            assertThat(c.getName()).isEqualTo("c");
            assertThat(c.getImage()).isEqualTo("busybox");
            assertThat(c.getResources().getRequests())
                    .isEqualTo(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("128Mi")));
        });
        assertThat(pod.getSpec().getNodeSelector()).containsOnlyKeys("kube4j.io/bench");
        assertThat(pod.getSpec().getNodeSelector().get("kube4j.io/bench")).startsWith("sbench-");
        assertThat(pod.getSpec().getTolerations()).singleElement()
                .satisfies(t -> assertThat(t.getOperator()).isEqualTo("Exists"));
    }
}
