package io.kube4j.node.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kube4j.node.pod.PodActions.Kill;
import io.kube4j.node.pod.PodActions.Start;
import io.kube4j.node.runtime.RuntimeSnapshot.ContainerState;
import io.kube4j.node.runtime.RuntimeSnapshot.ContainerState.State;
import io.kube4j.node.runtime.RuntimeSnapshot.PodRuntimeStatus;
import io.kube4j.node.runtime.RuntimeSnapshot.SandboxState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class PodActionsTest {

    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    static final String UID = "uid-1";

    /** One case: a pod, what the runtime holds for it, unhealthy containers, and the actions expected. */
    record Case(String name, Pod pod, PodRuntimeStatus runtime, Set<String> unhealthy, PodActions expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        SandboxState ready = sandbox("sb1", 0, true);
        return Stream.of(
                new Case("a new pod gets a sandbox and all its containers",
                        pod("Always", List.of(), List.of("app", "sidecar")), runtime(), Set.of(),
                        actions().createSandbox(0).start("app", false, 0).start("sidecar", false, 0).build()),
                new Case("a new pod with init containers starts the first one only",
                        pod("Always", List.of("init1", "init2"), List.of("app")), runtime(), Set.of(),
                        actions().createSandbox(0).start("init1", true, 0).build()),
                new Case("init containers run in order",
                        pod("Always", List.of("init1", "init2"), List.of("app")),
                        runtime(ready, exited("c1", "init1", 0, 0, NOW.minusSeconds(1))), Set.of(),
                        actions().start("init2", true, 0).build()),
                new Case("a running init container is waited for",
                        pod("Always", List.of("init1"), List.of("app")),
                        runtime(ready, running("c1", "init1", 0)), Set.of(), actions().build()),
                new Case("after the init containers the app containers start",
                        pod("Always", List.of("init1"), List.of("app")),
                        runtime(ready, exited("c1", "init1", 0, 0, NOW.minusSeconds(1))), Set.of(),
                        actions().start("app", false, 0).build()),
                new Case("a failed init container restarts at once the first time",
                        pod("OnFailure", List.of("init1"), List.of("app")),
                        runtime(ready, exited("c1", "init1", 0, 1, NOW)), Set.of(),
                        actions().start("init1", true, 1).build()),
                new Case("a failed init container with restartPolicy Never fails the pod",
                        pod("Never", List.of("init1"), List.of("app")),
                        runtime(ready, exited("c1", "init1", 0, 1, NOW)), Set.of(),
                        actions().killPod().podFailed().build()),
                new Case("a running container is left alone",
                        pod("Always", List.of(), List.of("app")),
                        runtime(ready, running("c1", "app", 0)), Set.of(), actions().build()),
                new Case("a crashing container waits out its back-off (20 s after 2 restarts)",
                        pod("Always", List.of(), List.of("app")),
                        runtime(ready, exited("c1", "app", 2, 1, NOW.minusSeconds(5))), Set.of(),
                        actions().waiting("app", "back-off 20s restarting failed container=app").requeue(Duration.ofSeconds(15)).build()),
                new Case("a crashing container restarts when its back-off is over",
                        pod("Always", List.of(), List.of("app")),
                        runtime(ready, exited("c1", "app", 2, 1, NOW.minusSeconds(25))), Set.of(),
                        actions().start("app", false, 3).build()),
                new Case("a container that succeeded stays exited under OnFailure",
                        pod("OnFailure", List.of(), List.of("app")),
                        runtime(ready, exited("c1", "app", 0, 0, NOW)), Set.of(), actions().build()),
                new Case("a container that failed restarts under OnFailure",
                        pod("OnFailure", List.of(), List.of("app")),
                        runtime(ready, exited("c1", "app", 0, 1, NOW)), Set.of(),
                        actions().start("app", false, 1).build()),
                new Case("a container that succeeded restarts under Always",
                        pod("Always", List.of(), List.of("app")),
                        runtime(ready, exited("c1", "app", 0, 0, NOW)), Set.of(),
                        actions().start("app", false, 1).build()),
                new Case("nothing restarts under Never",
                        pod("Never", List.of(), List.of("app")),
                        runtime(ready, exited("c1", "app", 0, 1, NOW)), Set.of(), actions().build()),
                new Case("a dead sandbox is replaced and its containers start again with the next restart count",
                        pod("Always", List.of(), List.of("app")),
                        runtime(sandbox("sb1", 0, false), exited("c1", "app", 4, 137, NOW)), Set.of(),
                        actions().createSandbox(1).start("app", false, 5).build()),
                new Case("a dead sandbox whose containers ran is not replaced under Never",
                        pod("Never", List.of(), List.of("app")),
                        runtime(sandbox("sb1", 0, false), exited("c1", "app", 0, 0, NOW)), Set.of(), actions().build()),
                new Case("a deleted pod is killed",
                        deleted(pod("Always", List.of(), List.of("app"))),
                        runtime(ready, running("c1", "app", 0)), Set.of(), actions().killPod().build()),
                new Case("a deleted pod with nothing running needs nothing",
                        deleted(pod("Always", List.of(), List.of("app"))),
                        runtime(sandbox("sb1", 0, false), exited("c1", "app", 0, 0, NOW)), Set.of(), actions().build()),
                new Case("a finished pod's sandbox is stopped",
                        phase(pod("Never", List.of(), List.of("app")), "Succeeded"),
                        runtime(ready, exited("c1", "app", 0, 0, NOW)), Set.of(), actions().killPod().build()),
                new Case("a container that fails its liveness probe is killed",
                        pod("Always", List.of(), List.of("app", "other")),
                        runtime(ready, running("c1", "app", 0), running("c2", "other", 0)), Set.of("c1"),
                        actions().kill("c1", "app", "Container app failed liveness probe, will be restarted").build()),
                new Case("a container that was created but never started is replaced",
                        pod("Always", List.of(), List.of("app")),
                        runtime(ready, container("c1", "app", 0, State.CREATED, 0, null)), Set.of(),
                        actions().kill("c1", "app", "not running").start("app", false, 1).build()),
                new Case("an ephemeral container starts in the running sandbox",
                        debugged(pod("Always", List.of(), List.of("app"))),
                        runtime(ready, running("c1", "app", 0)), Set.of(), actions().startEphemeral("debugger").build()),
                new Case("an ephemeral container without a target starts while the pod initializes",
                        untargeted(debugged(pod("Always", List.of("init1"), List.of("app")))),
                        runtime(ready, running("c1", "init1", 0)), Set.of(), actions().startEphemeral("debugger").build()),
                new Case("an ephemeral container that exited is not started again",
                        debugged(pod("Always", List.of(), List.of("app"))),
                        runtime(ready, running("c1", "app", 0), exited("c2", "debugger", 0, 1, NOW)), Set.of(), actions().build()),
                new Case("an ephemeral container waits for a new sandbox's next sync",
                        debugged(pod("Always", List.of(), List.of("app"))), runtime(), Set.of(),
                        actions().createSandbox(0).start("app", false, 0).build()),
                new Case("an ephemeral container whose status tells it ran is not started again in a new sandbox",
                        new PodBuilder(debugged(pod("Always", List.of(), List.of("app")))).withNewStatus()
                                .addNewEphemeralContainerStatus().withName("debugger").withContainerID("containerd://c9")
                                .withNewState().withNewTerminated().withExitCode(0).endTerminated().endState()
                                .endEphemeralContainerStatus().endStatus().build(),
                        runtime(ready, running("c1", "app", 0)), Set.of(), actions().build()),
                new Case("an ephemeral container waits for its target to run",
                        debugged(pod("Always", List.of("init1"), List.of("app"))),
                        runtime(ready, running("c1", "init1", 0)), Set.of(), actions().build()),
                new Case("a deleted pod's ephemeral container is killed with it",
                        deleted(debugged(pod("Always", List.of(), List.of("app")))),
                        runtime(ready, running("c1", "app", 0), running("c2", "debugger", 0)), Set.of(), actions().killPod().build()));
    }

    static Pod untargeted(Pod pod) {
        return new PodBuilder(pod).editSpec().editFirstEphemeralContainer().withTargetContainerName(null).endEphemeralContainer()
                .endSpec().build();
    }

    static Pod debugged(Pod pod) {
        return new PodBuilder(pod).editSpec().addNewEphemeralContainer().withName("debugger").withImage("busybox:1.35")
                .withTargetContainerName("app").endEphemeralContainer().endSpec().build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void computesTheActions(Case c) {
        assertThat(PodActions.compute(c.pod(), c.runtime(), NOW, c.unhealthy())).isEqualTo(c.expected());
    }

    @ParameterizedTest(name = "after {0} restarts: {1} s")
    @CsvSource({"0, 0", "1, 10", "2, 20", "3, 40", "4, 80", "5, 160", "6, 300", "7, 300", "100, 300"})
    void crashLoopBackOffDoublesFromTenSecondsToFiveMinutes(int restarts, long seconds) {
        assertThat(PodActions.backoff(restarts)).isEqualTo(Duration.ofSeconds(seconds));
    }

    // ---- builders

    static Pod pod(String restartPolicy, List<String> inits, List<String> containers) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName("p").withNamespace("default").withUid(UID).endMetadata()
                .withNewSpec().withRestartPolicy(restartPolicy).withNodeName("node-1").endSpec();
        for (String i : inits) b.editSpec().addNewInitContainer().withName(i).withImage("busybox:1.35").endInitContainer().endSpec();
        for (String c : containers) b.editSpec().addNewContainer().withName(c).withImage("busybox:1.35").endContainer().endSpec();
        return b.build();
    }

    static Pod deleted(Pod pod) {
        return new PodBuilder(pod).editMetadata().withDeletionTimestamp("2026-01-01T11:59:00Z").withDeletionGracePeriodSeconds(30L).endMetadata().build();
    }

    static Pod phase(Pod pod, String phase) {
        return new PodBuilder(pod).withNewStatus().withPhase(phase).endStatus().build();
    }

    static SandboxState sandbox(String id, int attempt, boolean ready) {
        return new SandboxState(id, UID, "p", "default", attempt, ready, ready ? List.of("10.244.0.5") : List.of(),
                NOW.minusSeconds(100));
    }

    static ContainerState running(String id, String name, int attempt) {
        return container(id, name, attempt, State.RUNNING, 0, null);
    }

    static ContainerState exited(String id, String name, int attempt, int exitCode, Instant finished) {
        return container(id, name, attempt, State.EXITED, exitCode, finished);
    }

    static ContainerState container(String id, String name, int attempt, State state, int exitCode, Instant finished) {
        return new ContainerState(id, "sb1", UID, name, attempt, state, NOW.minusSeconds(60 - attempt),
                state == State.CREATED ? null : NOW.minusSeconds(59), finished, exitCode, "", "", "busybox:1.35", "sha256:1", "");
    }

    static PodRuntimeStatus runtime(Object... parts) {
        List<SandboxState> sandboxes = new ArrayList<>();
        List<ContainerState> containers = new ArrayList<>();
        for (Object p : parts) {
            if (p instanceof SandboxState s) sandboxes.add(s);
            if (p instanceof ContainerState c) containers.add(c);
        }
        return new PodRuntimeStatus(UID, sandboxes, containers);
    }

    static ActionsBuilder actions() {
        return new ActionsBuilder();
    }

    static final class ActionsBuilder {
        boolean killPod;
        boolean createSandbox;
        int attempt;
        final List<Kill> kill = new ArrayList<>();
        final List<Start> start = new ArrayList<>();
        final Map<String, String> waiting = new java.util.LinkedHashMap<>();
        boolean podFailed;
        Duration requeue;

        ActionsBuilder killPod() { killPod = true; return this; }
        ActionsBuilder createSandbox(int a) { createSandbox = true; attempt = a; return this; }
        ActionsBuilder kill(String id, String name, String reason) { kill.add(new Kill(id, name, reason)); return this; }
        ActionsBuilder start(String name, boolean init, int a) {
            start.add(new Start(name, init ? PodActions.Kind.INIT : PodActions.Kind.REGULAR, a));
            return this;
        }
        ActionsBuilder startEphemeral(String name) { start.add(new Start(name, PodActions.Kind.EPHEMERAL, 0)); return this; }
        ActionsBuilder waiting(String name, String message) { waiting.put(name, message); return this; }
        ActionsBuilder podFailed() { podFailed = true; return this; }
        ActionsBuilder requeue(Duration d) { requeue = d; return this; }

        PodActions build() {
            return new PodActions(killPod, createSandbox, attempt, kill, start, waiting, podFailed, requeue);
        }
    }
}
