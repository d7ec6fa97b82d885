package io.kube4j.node.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kube4j.node.pod.PodStatusComputer.Observations;
import io.kube4j.node.pod.PodStatusComputer.Waiting;
import io.kube4j.node.runtime.RuntimeSnapshot.ContainerState.State;
import io.kube4j.node.runtime.RuntimeSnapshot.PodRuntimeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.kube4j.node.pod.PodActionsTest.NOW;
import static io.kube4j.node.pod.PodActionsTest.container;
import static io.kube4j.node.pod.PodActionsTest.exited;
import static io.kube4j.node.pod.PodActionsTest.pod;
import static io.kube4j.node.pod.PodActionsTest.running;
import static io.kube4j.node.pod.PodActionsTest.runtime;
import static io.kube4j.node.pod.PodActionsTest.sandbox;
import static org.assertj.core.api.Assertions.assertThat;

class PodStatusComputerTest {

    record Case(String name, Pod pod, PodRuntimeStatus runtime, Map<String, Waiting> waiting, String phase, boolean ready) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        var ready = sandbox("sb1", 0, true);
        return Stream.of(
                new Case("nothing yet: Pending", pod("Always", List.of(), List.of("app")), runtime(), Map.of(), "Pending", false),
                new Case("all running: Running and ready", pod("Always", List.of(), List.of("app")),
                        runtime(ready, running("c1", "app", 0)), Map.of(), "Running", true),
                new Case("init running: Pending", pod("Always", List.of("init"), List.of("app")),
                        runtime(ready, running("c1", "init", 0)), Map.of(), "Pending", false),
                new Case("init failed under Never: Failed", pod("Never", List.of("init"), List.of("app")),
                        runtime(ready, exited("c1", "init", 0, 1, NOW)), Map.of(), "Failed", false),
                new Case("all succeeded under Never: Succeeded", pod("Never", List.of(), List.of("a", "b")),
                        runtime(ready, exited("c1", "a", 0, 0, NOW), exited("c2", "b", 0, 0, NOW)), Map.of(), "Succeeded", false),
                new Case("one failed under Never: Failed", pod("Never", List.of(), List.of("a", "b")),
                        runtime(ready, exited("c1", "a", 0, 0, NOW), exited("c2", "b", 0, 2, NOW)), Map.of(), "Failed", false),
                new Case("succeeded under Always: Running (it restarts)", pod("Always", List.of(), List.of("a")),
                        runtime(ready, exited("c1", "a", 0, 0, NOW)), Map.of(), "Running", false),
                new Case("in CrashLoopBackOff: Running, not ready", pod("Always", List.of(), List.of("a")),
                        runtime(ready, exited("c1", "a", 3, 1, NOW)),
                        Map.of("a", new Waiting("CrashLoopBackOff", "back-off 40s")), "Running", false),
                new Case("image cannot be pulled: Pending", pod("Always", List.of(), List.of("a")),
                        runtime(ready), Map.of("a", new Waiting("ErrImagePull", "no registry")), "Pending", false),
                new Case("created, not started: Pending", pod("Always", List.of(), List.of("a")),
                        runtime(ready, container("c1", "a", 0, State.CREATED, 0, null)), Map.of(), "Pending", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void phaseAndReadiness(Case c) {
        PodStatus status = PodStatusComputer.compute(c.pod(), c.runtime(),
                new Observations(c.waiting(), Map.of(), Map.of(), false, "192.168.1.10"), NOW);
        assertThat(status.getPhase()).isEqualTo(c.phase());
        Map<String, String> conditions = status.getConditions().stream()
                .collect(Collectors.toMap(PodCondition::getType, PodCondition::getStatus));
        assertThat(conditions.get("Ready")).isEqualTo(c.ready() ? "True" : "False");
        assertThat(conditions.get("PodScheduled")).isEqualTo("True");
        assertThat(status.getHostIP()).isEqualTo("192.168.1.10");
    }

    @Test
    void aStatusComputedFromItsOwnResultIsEqual() {
        Pod pod = pod("Always", List.of(), List.of("app"));
        var rt = runtime(sandbox("sb1", 0, true), running("c1", "app", 0));
        var seen = new Observations(Map.of(), Map.of(), Map.of(), false, "192.168.1.10");
        PodStatus first = PodStatusComputer.compute(pod, rt, seen, NOW);
        Pod updated = new PodBuilder(pod).withStatus(first).build();
        assertThat(PodStatusComputer.compute(updated, rt, seen, NOW.plusSeconds(30))).isEqualTo(first);
    }

    @Test
    void anEphemeralContainerHasAStatusOfItsOwnAndLeavesThePodReady() {
        Pod pod = PodActionsTest.debugged(pod("Always", List.of(), List.of("app")));
        var seen = new Observations(Map.of(), Map.of(), Map.of(), false, "192.168.1.10");
        PodStatus waiting = PodStatusComputer.compute(pod, runtime(sandbox("sb1", 0, true), running("c1", "app", 0)), seen, NOW);
        assertThat(waiting.getEphemeralContainerStatuses()).singleElement().satisfies(s -> {
            assertThat(s.getName()).isEqualTo("debugger");
            assertThat(s.getState().getWaiting().getReason()).isEqualTo("ContainerCreating");
        });

        PodStatus running = PodStatusComputer.compute(pod,
                runtime(sandbox("sb1", 0, true), running("c1", "app", 0), running("c2", "debugger", 0)), seen, NOW);
        assertThat(running.getPhase()).isEqualTo("Running");
        assertThat(running.getConditions()).filteredOn(c -> c.getType().equals("Ready")).singleElement()
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
        assertThat(running.getContainerStatuses()).extracting("name").containsExactly("app");
        assertThat(running.getEphemeralContainerStatuses()).singleElement().satisfies(s -> {
            assertThat(s.getContainerID()).isEqualTo("containerd://c2");
            assertThat(s.getState().getRunning()).isNotNull();
            assertThat(s.getReady()).isFalse();
            assertThat(s.getStarted()).isNull();
        });

        // It exits for good; the pod goes on.
        PodStatus exited = PodStatusComputer.compute(pod,
                runtime(sandbox("sb1", 0, true), running("c1", "app", 0), exited("c2", "debugger", 0, 130, NOW)), seen, NOW);
        assertThat(exited.getPhase()).isEqualTo("Running");
        assertThat(exited.getEphemeralContainerStatuses().getFirst().getState().getTerminated().getExitCode()).isEqualTo(130);
    }

    record Qos(String name, Map<String, String> requests, Map<String, String> limits, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Qos> qos() {
        return Stream.of(
                new Qos("nothing set", Map.of(), Map.of(), "BestEffort"),
                new Qos("limits only (requests default to them)", Map.of(), Map.of("cpu", "500m", "memory", "64Mi"), "Guaranteed"),
                new Qos("requests equal limits", Map.of("cpu", "0.5", "memory", "64Mi"), Map.of("cpu", "500m", "memory", "64Mi"), "Guaranteed"),
                new Qos("requests below limits", Map.of("cpu", "100m"), Map.of("cpu", "500m", "memory", "64Mi"), "Burstable"),
                new Qos("a memory request only", Map.of("memory", "64Mi"), Map.of(), "Burstable"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("qos")
    void qosClass(Qos c) {
        Pod pod = pod("Always", List.of(), List.of("app"));
        var resources = pod.getSpec().getContainers().getFirst().getResources();
        if (resources == null) {
            resources = new io.fabric8.kubernetes.api.model.ResourceRequirements();
            pod.getSpec().getContainers().getFirst().setResources(resources);
        }
        resources.setRequests(c.requests().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> new Quantity(e.getValue()))));
        resources.setLimits(c.limits().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> new Quantity(e.getValue()))));
        assertThat(PodStatusComputer.qosClass(pod)).isEqualTo(c.expected());
    }

    @Test
    void aConditionTheAgentWroteKeepsItsTransitionTimeWhenTheCacheHasNotSeenTheWriteYet() {
        io.fabric8.kubernetes.api.model.PodStatus computed = new io.fabric8.kubernetes.api.model.PodStatusBuilder()
                .addNewCondition().withType("Ready").withStatus("True").withLastTransitionTime("2026-01-01T00:00:38Z").endCondition()
                .addNewCondition().withType("Initialized").withStatus("True").withLastTransitionTime("2026-01-01T00:00:30Z").endCondition()
                .addNewCondition().withType("ContainersReady").withStatus("False").withLastTransitionTime("2026-01-01T00:00:38Z").endCondition()
                .build();
        java.util.List<io.fabric8.kubernetes.api.model.PodCondition> written = java.util.List.of(
                new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType("Ready").withStatus("True")
                        .withLastTransitionTime("2026-01-01T00:00:36Z").build(),
                new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType("Initialized").withStatus("True")
                        .withLastTransitionTime("2026-01-01T00:00:31Z").build(),
                new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType("ContainersReady").withStatus("True")
                        .withLastTransitionTime("2026-01-01T00:00:36Z").build());

        var kept = PodStatusComputer.keepTransitionTimes(computed, written);

        assertThat(kept.getConditions()).extracting(c -> c.getType() + "=" + c.getStatus() + "@" + c.getLastTransitionTime())
                .containsExactly("Ready=True@2026-01-01T00:00:36Z",         // stayed True since the agent's write
                        "Initialized=True@2026-01-01T00:00:30Z",          // the computed time was the earlier one
                        "ContainersReady=False@2026-01-01T00:00:38Z");    // a real transition keeps its new time
        assertThat(PodStatusComputer.keepTransitionTimes(computed, null)).isSameAs(computed);
    }
}
