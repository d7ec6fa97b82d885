package io.kube4j.node.e2e;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Eviction under memory pressure with containerd behind the real gateway. The agent's
 * {@code eviction-hard-memory-available} is set above the machine's memory, so the node is always
 * short of memory: it reports MemoryPressure, and evicts one pod a round in QoS order — the
 * BestEffort pod before the Guaranteed one — each Failed with reason Evicted, the kubelet's message
 * and the DisruptionTarget condition, its containers stopped.
 */
class MemoryEvictionEndToEndTest {

    static NodeCluster cluster;

    @BeforeAll
    static void start() {
        cluster = NodeCluster.start("node-eviction", List.of("--kube4j.node.eviction-hard-memory-available=1Ei"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.close();
    }

    static Pod pod(String name, boolean guaranteed) {
        var pod = new PodBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withNodeName(cluster.nodeName).withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("app").withImage("busybox:1.35").withCommand("sleep", "3600").endContainer()
                .endSpec();
        if (guaranteed) {
            Map<String, Quantity> resources = Map.of("cpu", new Quantity("50m"), "memory", new Quantity("32Mi"));
            pod.editSpec().editFirstContainer().withNewResources().withRequests(resources).withLimits(resources).endResources()
                    .endContainer().endSpec();
        }
        return pod.build();
    }

    Pod get(String name) {
        return cluster.client.pods().inNamespace("default").withName(name).get();
    }

    static PodCondition disruption(Pod pod) {
        return pod.getStatus().getConditions().stream().filter(c -> c.getType().equals("DisruptionTarget")).findFirst().orElse(null);
    }

    @Test
    void aNodeShortOfMemoryEvictsBestEffortPodsBeforeGuaranteedOnes() {
        cluster.client.pods().inNamespace("default").resource(pod("guaranteed", true)).create();
        cluster.client.pods().inNamespace("default").resource(pod("best-effort", false)).create();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Node node = cluster.client.nodes().withName(cluster.nodeName).get();
            assertThat(node.getStatus().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("MemoryPressure");
                assertThat(c.getStatus()).isEqualTo("True");
                assertThat(c.getReason()).isEqualTo("KubeletHasInsufficientMemory");
            });
        });
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(get("best-effort").getStatus().getPhase()).isEqualTo("Failed"));
        Pod bestEffort = get("best-effort");
        assertThat(bestEffort.getStatus().getReason()).isEqualTo("Evicted");
        assertThat(bestEffort.getStatus().getMessage()).startsWith("The node was low on resource: memory. Threshold quantity: 1Ei, available: ");
        assertThat(disruption(bestEffort).getReason()).isEqualTo("TerminationByKubelet");
        assertThat(bestEffort.getStatus().getQosClass()).isEqualTo("BestEffort");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(get("guaranteed").getStatus().getPhase()).isEqualTo("Failed"));
        Pod guaranteed = get("guaranteed");
        assertThat(guaranteed.getStatus().getReason()).isEqualTo("Evicted");
        assertThat(Instant.parse(disruption(guaranteed).getLastTransitionTime()))
                .as("the Guaranteed pod goes in a later round").isAfter(Instant.parse(disruption(bestEffort).getLastTransitionTime()));
        // Their containers are stopped, and the status says so.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String name : List.of("best-effort", "guaranteed")) {
                var state = get(name).getStatus().getContainerStatuses().getFirst().getState();
                assertThat(state.getTerminated()).as(name + " stopped").isNotNull();
            }
        });
        assertThat(get("best-effort").getStatus().getReason()).as("kept through later status updates").isEqualTo("Evicted");
    }
}
