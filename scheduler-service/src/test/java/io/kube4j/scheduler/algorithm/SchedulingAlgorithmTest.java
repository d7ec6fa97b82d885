package io.kube4j.scheduler.algorithm;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kube4j.scheduler.cache.Snapshot;
import io.kube4j.scheduler.config.ProfileFactory;
import io.kube4j.scheduler.config.SchedulerConfiguration;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.Framework;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.Parallelizer;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.Status;
import io.kube4j.scheduler.plugins.PluginRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static io.kube4j.scheduler.Objects.labels;
import static io.kube4j.scheduler.Objects.node;
import static io.kube4j.scheduler.Objects.nodeInfo;
import static io.kube4j.scheduler.Objects.requesting;
import static org.assertj.core.api.Assertions.assertThat;

/** The decision for one pod with the default profile: node counts, the summary, the choice among ties. */
class SchedulingAlgorithmTest {

    private static final Framework DEFAULT = new ProfileFactory(new PluginRegistry(), List.of())
            .build(SchedulerConfiguration.defaults()).get("default-scheduler");

    @ParameterizedTest(name = "{2} nodes, profile {0}, global {1} → {3}")
    @CsvSource(nullValues = "null", value = {
            "null, 0, 50, 50",        // fewer than 100 nodes: all
            "null, 0, 100, 100",      // 100 × (50 - 0)% = 50, raised to the minimum 100
            "null, 0, 1000, 420",     // 50 - 1000/125 = 42%
            "null, 0, 5000, 500",     // 50 - 40 = 10%
            "null, 0, 6000, 300",     // 50 - 48 = 2% → floor 5%
            "null, 0, 1200, 492",     // 50 - 9 = 41%
            "null, 30, 1000, 300",    // the scheduler's percentage
            "10, 30, 1000, 100",      // the profile's wins
            "100, 0, 5000, 5000",
            "null, 5, 1000, 100"      // 50, raised to 100
    })
    void numFeasibleNodesToFind(Integer profile, int global, int nodes, int expected) {
        assertThat(SchedulingAlgorithm.numFeasibleNodesToFind(profile, global, nodes)).isEqualTo(expected);
    }

    private static ScheduleResult schedule(Pod pod, List<NodeInfo> nodes) {
        return new SchedulingAlgorithm(0, null, 1, new SplittableRandom(1))
                .schedule(DEFAULT, new CycleState(), PodInfo.of(pod), Snapshot.of(nodes));
    }

    @Test
    void summaryCountsEachReasonAndSortsThem() {
        List<NodeInfo> nodes = List.of(
                nodeInfo(node("a", "1", "4Gi", 110).build()),
                nodeInfo(node("b", "8", "8Gi", 110, "disk=hdd").build()),
                nodeInfo(node("c", "8", "8Gi", 110, "disk=hdd").build()));
        Pod pod = new PodBuilder(requesting("p", "2", "1Gi").build()).editSpec().withNodeSelector(labels("disk=ssd")).endSpec().build();
        ScheduleResult r = schedule(pod, nodes);
        assertThat(r).isInstanceOf(ScheduleResult.Unschedulable.class);
        FitError e = ((ScheduleResult.Unschedulable) r).error();
        // NodeAffinity runs before NodeResourcesFit: every node stops at the first rejection.
        assertThat(e.message()).isEqualTo("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.");
        Pod plain = requesting("p", "2", "1Gi").build();
        List<NodeInfo> mixed = List.of(
                nodeInfo(node("a", "1", "4Gi", 110).build()),
                nodeInfo(node("b", "8", "8Gi", 110).editSpec().withTaints(io.kube4j.scheduler.Objects.taint("k", "v", "NoSchedule")).endSpec().build()),
                nodeInfo(node("c", "8", "8Gi", 110).editSpec().withTaints(io.kube4j.scheduler.Objects.taint("k", "v", "NoSchedule")).endSpec().build()));
        assertThat(((ScheduleResult.Unschedulable) schedule(plain, mixed)).error().message()).isEqualTo(
                "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {k: v}.");
        assertThat(((ScheduleResult.Unschedulable) schedule(plain, mixed)).error().unschedulablePlugins())
                .containsExactlyInAnyOrder("NodeResourcesFit", "TaintToleration");
    }

    @Test
    void summaryOrderIsThatOfStrings() {
        Map<String, Status> statuses = new java.util.HashMap<>();
        for (int i = 0; i < 10; i++) statuses.put("n" + i, Status.unschedulable("Insufficient memory"));
        for (int i = 10; i < 12; i++) statuses.put("n" + i, Status.unschedulable("Insufficient cpu", "Insufficient memory"));
        FitError e = new FitError(13, statuses, Set.of(), null, null);
        // "12 Insufficient memory" < "2 Insufficient cpu" as strings, as kube-scheduler sorts them
        assertThat(e.message()).isEqualTo("0/13 nodes are available: 12 Insufficient memory, 2 Insufficient cpu.");
        assertThat(e.withPostFilterMessage("preemption: not eligible").message()).endsWith("2 Insufficient cpu. preemption: not eligible.");
        assertThat(new FitError(3, Map.of(), Set.of(), "something failed", null).message())
                .isEqualTo("0/3 nodes are available: something failed.");
    }

    @Test
    void noNodes() {
        assertThat(((ScheduleResult.Unschedulable) schedule(requesting("p", "1", "1Gi").build(), List.of())).error().message())
                .isEqualTo("0/0 nodes are available: no nodes available to schedule pods.");
    }

    @Test
    void theEmptiestNodeWinsWithDefaultWeights() {
        List<NodeInfo> nodes = List.of(
                nodeInfo(node("a", "4", "8Gi", 110).build(), requesting("x", "3", "6Gi").build()),
                nodeInfo(node("b", "4", "8Gi", 110).build()),
                nodeInfo(node("c", "4", "8Gi", 110).build(), requesting("y", "1", "1Gi").build()));
        for (int i = 0; i < 20; i++) {
            assertThat(((ScheduleResult.Scheduled) schedule(requesting("p", "1", "1Gi").build(), nodes)).nodeName()).isEqualTo("b");
        }
    }

    @Test
    void tiesAreBrokenAtRandomAmongTheBest() {
        List<NodeInfo> nodes = new ArrayList<>();
        for (int i = 0; i < 4; i++) nodes.add(nodeInfo(node("n" + i, "4", "8Gi", 110).build()));
        nodes.add(nodeInfo(node("full", "4", "8Gi", 110).build(), requesting("x", "2", "2Gi").build()));
        SchedulingAlgorithm algorithm = new SchedulingAlgorithm(0, null, 1, new SplittableRandom(7));
        Set<String> chosen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            ScheduleResult r = algorithm.schedule(DEFAULT, new CycleState(), PodInfo.of(requesting("p", "1", "1Gi").build()), Snapshot.of(nodes));
            chosen.add(((ScheduleResult.Scheduled) r).nodeName());
        }
        assertThat(chosen).containsExactlyInAnyOrder("n0", "n1", "n2", "n3");
    }

    @Test
    void filtersStopAtTheFeasibleCountAndTheNextCycleStartsWhereThisOneStopped() {
        List<NodeInfo> nodes = new ArrayList<>();
        for (int i = 0; i < 1000; i++) nodes.add(nodeInfo(node(String.format("n%04d", i), "4", "8Gi", 110).build()));
        SchedulingAlgorithm algorithm = new SchedulingAlgorithm(0, null, 1, new SplittableRandom(3));
        ScheduleResult.Scheduled first = (ScheduleResult.Scheduled) algorithm.schedule(DEFAULT, new CycleState(),
                PodInfo.of(requesting("p", "1", "1Gi").build()), Snapshot.of(nodes));
        assertThat(first.evaluatedNodes()).isEqualTo(420);
        assertThat(first.feasibleNodes()).isEqualTo(420);
        // The first cycle looked at n0000..n0419, so the second looks from n0420 on: the choice is there.
        ScheduleResult.Scheduled second = (ScheduleResult.Scheduled) algorithm.schedule(DEFAULT, new CycleState(),
                PodInfo.of(requesting("q", "1", "1Gi").build()), Snapshot.of(nodes));
        assertThat(second.nodeName()).isBetween("n0420", "n0839");
    }

    @Test
    void parallelFilteringFindsTheSameFeasibleSet() {
        List<NodeInfo> nodes = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            nodes.add(nodeInfo(node(String.format("n%03d", i), i % 3 == 0 ? "4" : "1", "8Gi", 110).build()));
        }
        try (Parallelizer parallel = new Parallelizer(4)) {
            SchedulingAlgorithm algorithm = new SchedulingAlgorithm(100, parallel, 1, new SplittableRandom(3));
            ScheduleResult.Scheduled r = (ScheduleResult.Scheduled) algorithm.schedule(DEFAULT, new CycleState(),
                    PodInfo.of(requesting("p", "2", "1Gi").build()), Snapshot.of(nodes));
            assertThat(r.feasibleNodes()).isEqualTo(100);
            assertThat(r.evaluatedNodes()).isEqualTo(300);
            assertThat(Integer.parseInt(r.nodeName().substring(1)) % 3).isZero();
        }
    }
}
