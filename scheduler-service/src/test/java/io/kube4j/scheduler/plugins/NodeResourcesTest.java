package io.kube4j.scheduler.plugins;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kube4j.scheduler.framework.Code;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.Status;
import io.kube4j.scheduler.plugins.noderesources.NodeResourcesBalancedAllocation;
import io.kube4j.scheduler.plugins.noderesources.NodeResourcesFit;
import io.kube4j.scheduler.plugins.noderesources.ResourceSpec;
import io.kube4j.scheduler.plugins.noderesources.ScoringStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.kube4j.scheduler.Objects.edit;
import static io.kube4j.scheduler.Objects.node;
import static io.kube4j.scheduler.Objects.nodeInfo;
import static io.kube4j.scheduler.Objects.pod;
import static io.kube4j.scheduler.Objects.requesting;
import static org.assertj.core.api.Assertions.assertThat;

/** NodeResourcesFit (filter, LeastAllocated, MostAllocated) and NodeResourcesBalancedAllocation. */
class NodeResourcesTest {

    record FitCase(String name, Pod pod, NodeInfo node, List<String> reasons) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Pod gpuPod(String name, String gpus) {
        return edit(requesting(name, "100m", "100Mi"), b -> b.editSpec().editFirstContainer().editResources()
                .addToRequests("nvidia.com/gpu", new Quantity(gpus)).endResources().endContainer().endSpec()).build();
    }

    static Stream<FitCase> fitCases() {
        NodeInfo gpuNode = nodeInfo(node("n1", "4", "8Gi", 110).editStatus()
                .addToAllocatable("nvidia.com/gpu", new Quantity("2")).endStatus().build(), gpuPod("x", "1"));
        return Stream.of(
                new FitCase("fits", requesting("p", "1", "1Gi").build(), nodeInfo(node("n1", "2", "2Gi", 110).build()), List.of()),
                new FitCase("fits exactly", requesting("p", "1", "1Gi").build(),
                        nodeInfo(node("n1", "2", "2Gi", 110).build(), requesting("x", "1", "1Gi").build()), List.of()),
                new FitCase("cpu short", requesting("p", "1500m", "1Gi").build(),
                        nodeInfo(node("n1", "2", "4Gi", 110).build(), requesting("x", "1", "1Gi").build()), List.of("Insufficient cpu")),
                new FitCase("cpu and memory short: both reported", requesting("p", "2", "4Gi").build(),
                        nodeInfo(node("n1", "2", "4Gi", 110).build(), requesting("x", "1", "1Gi").build()),
                        List.of("Insufficient cpu", "Insufficient memory")),
                new FitCase("pod count full", pod("p"),
                        nodeInfo(node("n1", "2", "4Gi", 1).build(), pod("x")), List.of("Too many pods")),
                new FitCase("a best-effort pod needs only a pod slot", pod("p"),
                        nodeInfo(node("n1", "1", "1Gi", 110).build(), requesting("x", "1", "1Gi").build()), List.of()),
                new FitCase("extended resource fits", gpuPod("p", "1"), gpuNode, List.of()),
                new FitCase("extended resource short", gpuPod("p", "2"), gpuNode, List.of("Insufficient nvidia.com/gpu")),
                new FitCase("extended resource absent on the node", gpuPod("p", "1"),
                        nodeInfo(node("n1", "4", "8Gi", 110).build()), List.of("Insufficient nvidia.com/gpu")),
                new FitCase("init container larger than the containers counts", edit(requesting("p", "500m", "1Gi"),
                        b -> b.editSpec().withInitContainers(new ContainerBuilder().withName("init").withNewResources()
                                .addToRequests("cpu", new Quantity("3")).endResources().build()).endSpec()).build(),
                        nodeInfo(node("n1", "2", "4Gi", 110).build()), List.of("Insufficient cpu"))
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fitCases")
    void fitFilter(FitCase c) {
        Status s = PluginHarness.filter(new NodeResourcesFit(), c.pod(), List.of(c.node())).get("n1");
        assertThat(s.reasons()).isEqualTo(c.reasons());
        assertThat(s.code()).isEqualTo(c.reasons().isEmpty() ? Code.SUCCESS : Code.UNSCHEDULABLE);
    }

    @Test
    void ignoredResourcesAreNotChecked() {
        NodeResourcesFit fit = new NodeResourcesFit(new NodeResourcesFit.Args(ScoringStrategy.LeastAllocated,
                ResourceSpec.DEFAULTS, Set.of(), Set.of("nvidia.com")));
        Status s = PluginHarness.filter(fit, gpuPod("p", "1"), List.of(nodeInfo(node("n1", "4", "8Gi", 110).build()))).get("n1");
        assertThat(s.isSuccess()).isTrue();
    }

    @Test
    void sidecarsAddUpAndOverheadIsAdded() {
        Pod p = edit(requesting("p", "1", "1Gi"), b -> b.editSpec()
                .withInitContainers(
                        new ContainerBuilder().withName("sidecar").withRestartPolicy("Always").withNewResources()
                                .addToRequests("cpu", new Quantity("500m")).endResources().build(),
                        new ContainerBuilder().withName("init").withNewResources()
                                .addToRequests("cpu", new Quantity("1")).endResources().build())
                .withOverhead(Map.of("cpu", new Quantity("250m"))).endSpec()).build();
        // containers 1 + sidecar 0.5 = 1.5; init while the sidecar runs 1.5; + overhead 0.25
        assertThat(PodInfo.of(p).requests().milliCpu).isEqualTo(1750);
    }

    /** Nodes of 4 cpu / 8Gi: a holds 3 cpu / 2Gi, b holds 1 cpu / 6Gi, c is empty. */
    static List<NodeInfo> scoredNodes() {
        return List.of(
                nodeInfo(node("a", "4", "8Gi", 110).build(), requesting("x", "3", "2Gi").build()),
                nodeInfo(node("b", "4", "8Gi", 110).build(), requesting("y", "1", "6Gi").build()),
                nodeInfo(node("c", "4", "8Gi", 110).build()));
    }

    @Test
    void leastAllocatedPrefersTheEmptiestNode() {
        // with the pod (1 cpu, 1Gi): a cpu 4/4 → 0, mem 3/8 → 62 ⇒ 31; b cpu 2/4 → 50, mem 7/8 → 12 ⇒ 31; c 75, 87 ⇒ 81
        assertThat(PluginHarness.score(new NodeResourcesFit(), requesting("p", "1", "1Gi").build(), scoredNodes()))
                .containsExactly(Map.entry("a", 31L), Map.entry("b", 31L), Map.entry("c", 81L));
    }

    @Test
    void mostAllocatedPrefersTheFullestNode() {
        NodeResourcesFit fit = new NodeResourcesFit(new NodeResourcesFit.Args(ScoringStrategy.MostAllocated,
                ResourceSpec.DEFAULTS, Set.of(), Set.of()));
        // a cpu 100, mem 37 ⇒ 68; b 50, 87 ⇒ 68; c 25, 12 ⇒ 18
        assertThat(PluginHarness.score(fit, requesting("p", "1", "1Gi").build(), scoredNodes()))
                .containsExactly(Map.entry("a", 68L), Map.entry("b", 68L), Map.entry("c", 18L));
    }

    @Test
    void resourceWeightsApply() {
        NodeResourcesFit fit = new NodeResourcesFit(new NodeResourcesFit.Args(ScoringStrategy.LeastAllocated,
                List.of(new ResourceSpec("cpu", 3), new ResourceSpec("memory", 1)), Set.of(), Set.of()));
        // a (0*3 + 62)/4 = 15; b (50*3 + 12)/4 = 40; c (75*3 + 87)/4 = 78
        assertThat(PluginHarness.score(fit, requesting("p", "1", "1Gi").build(), scoredNodes()))
                .containsExactly(Map.entry("a", 15L), Map.entry("b", 40L), Map.entry("c", 78L));
    }

    @Test
    void containersWithoutRequestsCountAtTheDefaultsWhenScoring() {
        // 100m and 200Mi counted: c cpu (4000-100)/4000 → 97, mem (8192-200)/8192 → 97
        assertThat(PluginHarness.score(new NodeResourcesFit(), pod("p"), List.of(scoredNodes().get(2))))
                .containsExactly(Map.entry("c", 97L));
    }

    @Test
    void balancedAllocationPrefersEvenUse() {
        // with the pod (1 cpu, 1Gi): a cpu 1.0, mem .375 → 1-.3125 ⇒ 68; b .5, .875 ⇒ 81; c .25, .125 ⇒ 93
        assertThat(PluginHarness.score(new NodeResourcesBalancedAllocation(), requesting("p", "1", "1Gi").build(), scoredNodes()))
                .containsExactly(Map.entry("a", 68L), Map.entry("b", 81L), Map.entry("c", 93L));
    }

    @Test
    void balancedAllocationSkipsPodsThatRequestNothing() {
        assertThat(PluginHarness.score(new NodeResourcesBalancedAllocation(), pod("p"), scoredNodes()).values())
                .containsOnly(0L);
    }
}
