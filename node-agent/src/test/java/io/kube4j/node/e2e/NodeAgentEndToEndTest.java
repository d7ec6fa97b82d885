package io.kube4j.node.e2e;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.kube4j.machinery.ephemeral.EphemeralKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The node agent with containerd behind the real gateway: its Node, and pods run for real. */
class NodeAgentEndToEndTest {

    static NodeCluster cluster;

    @BeforeAll
    static void start() {
        cluster = NodeCluster.start("node-e2e");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.close();
    }

    @Test
    void theNodeRegistersReadyWithItsMachineAndBeatsItsHeartbeat() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Node node = cluster.client.nodes().withName("node-e2e").get();
            assertThat(node).isNotNull();
            assertThat(node.getStatus().getConditions()).extracting(NodeCondition::getType)
                    .containsExactlyInAnyOrder("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");
            assertThat(condition(node, "Ready")).isEqualTo("True");
            assertThat(condition(node, "MemoryPressure")).isEqualTo("False");
        });
        Node node = cluster.client.nodes().withName("node-e2e").get();
        assertThat(node.getMetadata().getLabels()).containsEntry("kubernetes.io/hostname", "node-e2e")
                .containsEntry("kubernetes.io/os", "linux").containsEntry("kubernetes.io/arch", "amd64")
                .doesNotContainKey("kube4j.io/hollow");
        assertThat(node.getSpec().getPodCIDR()).isEqualTo(cluster.containerd.podCidr());
        assertThat(node.getStatus().getCapacity().get("pods").toString()).isEqualTo("110");
        assertThat(node.getStatus().getCapacity()).containsKeys("cpu", "memory", "ephemeral-storage");
        assertThat(node.getStatus().getAllocatable()).containsKeys("cpu", "memory", "pods", "ephemeral-storage");
        assertThat(node.getStatus().getAddresses()).extracting(a -> a.getType()).contains("InternalIP", "Hostname");
        assertThat(node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort()).isEqualTo(cluster.agentPort);
        assertThat(node.getStatus().getNodeInfo().getContainerRuntimeVersion()).startsWith("containerd://");
        String rv = node.getMetadata().getResourceVersion();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(redis("GET", EphemeralKeys.heartbeat("node-e2e"))).matches("\\$\\d+ \\d{13}"));
        // Nothing changed on the machine: two status periods later the Node is as it was.
        sleep(Duration.ofSeconds(5));
        assertThat(cluster.client.nodes().withName("node-e2e").get().getMetadata().getResourceVersion()).isEqualTo(rv);

        // kubectl describe node lists what the agent told of its node, as the kubelet's events.
        String described = io.kube4j.testsupport.Kubectl.forKubeconfig(cluster.kubeconfig).ok("describe", "node", "node-e2e");
        String events = described.substring(described.indexOf("\nEvents:"));
        assertThat(events.lines().skip(3).map(l -> l.strip().replaceAll(" {2,}\\S+ {2,}kubelet {2,}", " kubelet ")))
                .contains(
                        "Normal  Starting kubelet Starting kubelet.",
                        "Normal  NodeAllocatableEnforced kubelet Updated Node Allocatable limit across pods",
                        "Normal  NodeHasSufficientMemory kubelet Node node-e2e status is now: NodeHasSufficientMemory",
                        "Normal  NodeHasNoDiskPressure kubelet Node node-e2e status is now: NodeHasNoDiskPressure",
                        "Normal  NodeHasSufficientPID kubelet Node node-e2e status is now: NodeHasSufficientPID",
                        "Normal  NodeReady kubelet Node node-e2e status is now: NodeReady");
    }

    @Test
    void aPodInTheNodesNamespacesRunsWithTheNodesAddressAndHostName() throws Exception {
        // What kubectl debug node/NAME makes: the node's network, processes and IPC.
        cluster.client.pods().inNamespace("default").resource(new PodBuilder()
                .withNewMetadata().withName("on-host").endMetadata()
                .withNewSpec().withNodeName("node-e2e").withHostNetwork(true).withHostPID(true).withHostIPC(true)
                .withTerminationGracePeriodSeconds(0L)
                .addNewContainer().withName("main").withImage("busybox:1.35").withCommand("sleep", "3600").endContainer()
                .endSpec().build()).create();
        Pod running = await().atMost(Duration.ofSeconds(60)).until(
                () -> cluster.client.pods().inNamespace("default").withName("on-host").get(),
                p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));
        assertThat(running.getStatus().getPodIP()).isEqualTo(running.getStatus().getHostIP());
        var kubectl = io.kube4j.testsupport.Kubectl.forKubeconfig(cluster.kubeconfig);
        assertThat(kubectl.ok("exec", "on-host", "--", "hostname").strip())
                .isEqualTo(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip());
        assertThat(eventsOf("on-host")).noneMatch(e -> "FailedCreatePodSandBox".equals(e.getReason()));
        cluster.client.pods().inNamespace("default").withName("on-host").withGracePeriod(0).delete();
    }

    @Test
    void aBusyboxPodBoundToTheNodeRunsWithAnAddressAndIsDeletedGracefully() {
        cluster.client.pods().inNamespace("default").resource(new PodBuilder()
                .withNewMetadata().withName("sleeper").withLabels(Map.of("app", "sleeper")).endMetadata()
                .withNewSpec().withNodeName("node-e2e").withTerminationGracePeriodSeconds(5L)
                .addNewContainer().withName("main").withImage("busybox:1.35")
                .withCommand("sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done").endContainer()
                .endSpec().build()).create();

        Pod running = await().atMost(Duration.ofSeconds(60)).until(
                () -> cluster.client.pods().inNamespace("default").withName("sleeper").get(),
                p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()) && p.getStatus().getPodIP() != null
                        && conditions(p).getOrDefault("Ready", "").equals("True"));
        String prefix = cluster.containerd.podCidr().substring(0, cluster.containerd.podCidr().lastIndexOf('.') + 1);
        assertThat(running.getStatus().getPodIP()).startsWith(prefix);
        assertThat(running.getStatus().getPodIPs()).hasSize(1);
        assertThat(running.getStatus().getHostIP()).isNotBlank();
        assertThat(running.getStatus().getStartTime()).isNotBlank();
        assertThat(running.getStatus().getQosClass()).isEqualTo("BestEffort");
        assertThat(conditions(running)).containsEntry("PodScheduled", "True").containsEntry("Initialized", "True")
                .containsEntry("ContainersReady", "True").containsEntry("Ready", "True");
        ContainerStatus main = running.getStatus().getContainerStatuses().getFirst();
        assertThat(main.getName()).isEqualTo("main");
        assertThat(main.getReady()).isTrue();
        assertThat(main.getStarted()).isTrue();
        assertThat(main.getRestartCount()).isZero();
        assertThat(main.getImage()).isEqualTo("busybox:1.35");
        assertThat(main.getImageID()).isNotBlank();
        assertThat(main.getContainerID()).startsWith("containerd://");
        assertThat(main.getState().getRunning().getStartedAt()).isNotBlank();

        // The kubelet's story of a start, about the container, from the node.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(events("sleeper")).contains(
                "Normal Pulled spec.containers{main}: Container image \"busybox:1.35\" already present on machine",
                "Normal Created spec.containers{main}: Created container: main",
                "Normal Started spec.containers{main}: Started container main"));
        Event started = eventsOf("sleeper").stream().filter(e -> "Started".equals(e.getReason())).findFirst().orElseThrow();
        assertThat(started.getSource().getComponent()).isEqualTo("kubelet");
        assertThat(started.getSource().getHost()).isEqualTo("node-e2e");
        assertThat(started.getInvolvedObject().getUid()).isEqualTo(running.getMetadata().getUid());

        cluster.client.pods().inNamespace("default").withName("sleeper").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.client.pods().inNamespace("default").withName("sleeper").get() == null);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events("sleeper"))
                .contains("Normal Killing spec.containers{main}: Stopping container main"));
        String uid = running.getMetadata().getUid();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(cluster.agent.getBean(io.kube4j.node.runtime.ContainerRuntime.class).snapshot().pods()).doesNotContainKey(uid));
    }

    @Test
    void initContainersEnvAndVolumesReachTheContainerAndThePodSucceeds() {
        cluster.client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("settings").endMetadata()
                .withData(Map.of("greeting", "hello", "color", "blue")).build()).create();
        // The main container exits 0 only if everything arrived where the pod's spec says.
        String check = String.join(" && ",
                "test \"$(cat /work/ready)\" = initialized",
                "test \"$(cat /config/greeting)\" = hello",
                "test \"$GREETING\" = hello",
                "test \"$COLOR\" = blue",
                "test \"$POD_NAME\" = checker",
                "test \"$NODE\" = node-e2e",
                "test \"$MESSAGE\" = 'hello from checker'",
                "test \"$(cat /info/labels)\" = 'app=\"checker\"'",
                "test \"$MEMORY_MI\" = 64");
        cluster.client.pods().inNamespace("default").resource(new PodBuilder()
                .withNewMetadata().withName("checker").withLabels(Map.of("app", "checker")).endMetadata()
                .withNewSpec().withNodeName("node-e2e").withRestartPolicy("Never")
                .addNewInitContainer().withName("prepare").withImage("busybox:1.35")
                .withCommand("sh", "-c", "echo initialized > /work/ready")
                .addNewVolumeMount().withName("work").withMountPath("/work").endVolumeMount().endInitContainer()
                .addNewContainer().withName("check").withImage("busybox:1.35")
                .withCommand("sh", "-c").withArgs(check)
                .addNewEnv().withName("GREETING").withNewValueFrom().withNewConfigMapKeyRef("greeting", "settings", false).endValueFrom().endEnv()
                .addNewEnv().withName("POD_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("NODE").withNewValueFrom().withNewFieldRef().withFieldPath("spec.nodeName").endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("MESSAGE").withValue("$(GREETING) from $(POD_NAME)").endEnv()
                .addNewEnv().withName("MEMORY_MI").withNewValueFrom().withNewResourceFieldRef().withResource("limits.memory")
                .withDivisor(new io.fabric8.kubernetes.api.model.Quantity("1Mi")).endResourceFieldRef().endValueFrom().endEnv()
                .addNewEnvFrom().withNewConfigMapRef().withName("settings").endConfigMapRef().withPrefix("").endEnvFrom()
                .addToEnv(new io.fabric8.kubernetes.api.model.EnvVarBuilder().withName("COLOR").withValue("blue").build())
                .withNewResources().addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("64Mi"))
                .addToLimits("cpu", new io.fabric8.kubernetes.api.model.Quantity("250m")).endResources()
                .addNewVolumeMount().withName("work").withMountPath("/work").endVolumeMount()
                .addNewVolumeMount().withName("config").withMountPath("/config").withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("info").withMountPath("/info").endVolumeMount()
                .endContainer()
                .addNewVolume().withName("work").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("config").withNewConfigMap().withName("settings").endConfigMap().endVolume()
                .addNewVolume().withName("info").withNewDownwardAPI().addNewItem().withPath("labels")
                .withNewFieldRef().withFieldPath("metadata.labels").endFieldRef().endItem().endDownwardAPI().endVolume()
                .endSpec().build()).create();

        Pod done = await().atMost(Duration.ofSeconds(60)).until(
                () -> cluster.client.pods().inNamespace("default").withName("checker").get(),
                p -> p.getStatus() != null && List.of("Succeeded", "Failed").contains(p.getStatus().getPhase()));
        assertThat(done.getStatus().getPhase()).as("%s", done.getStatus()).isEqualTo("Succeeded");
        // The init container sets no resources: the pod is Burstable, not Guaranteed.
        assertThat(done.getStatus().getQosClass()).isEqualTo("Burstable");
        assertThat(done.getStatus().getInitContainerStatuses().getFirst().getState().getTerminated().getReason()).isEqualTo("Completed");
        assertThat(done.getStatus().getContainerStatuses().getFirst().getState().getTerminated().getExitCode()).isZero();
        assertThat(conditions(done)).containsEntry("Initialized", "True").containsEntry("Ready", "False");
    }

    @Test
    void aCrashingContainerIsRestartedWithBackOff() {
        cluster.client.pods().inNamespace("default").resource(new PodBuilder()
                .withNewMetadata().withName("crasher").endMetadata()
                .withNewSpec().withNodeName("node-e2e").withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("crash").withImage("busybox:1.35").withCommand("sh", "-c", "exit 3").endContainer()
                .endSpec().build()).create();
        Pod crashing = await().atMost(Duration.ofSeconds(60)).until(
                () -> cluster.client.pods().inNamespace("default").withName("crasher").get(),
                p -> p.getStatus() != null && p.getStatus().getContainerStatuses() != null
                        && !p.getStatus().getContainerStatuses().isEmpty()
                        && p.getStatus().getContainerStatuses().getFirst().getState().getWaiting() != null
                        && "CrashLoopBackOff".equals(p.getStatus().getContainerStatuses().getFirst().getState().getWaiting().getReason()));
        ContainerStatus status = crashing.getStatus().getContainerStatuses().getFirst();
        assertThat(status.getRestartCount()).isGreaterThanOrEqualTo(1);
        assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(3);
        assertThat(status.getLastState().getTerminated().getReason()).isEqualTo("Error");
        assertThat(crashing.getStatus().getPhase()).isEqualTo("Running");
        assertThat(conditions(crashing)).containsEntry("Ready", "False");
        String uid = crashing.getMetadata().getUid();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(events("crasher")).contains(
                "Warning BackOff spec.containers{crash}: Back-off restarting failed container crash in pod crasher_default(" + uid + ")"));
        cluster.client.pods().inNamespace("default").withName("crasher").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.client.pods().inNamespace("default").withName("crasher").get() == null);
    }

    @Test
    void anImageNoOneCanPullLeavesThePodPendingInImagePullBackOff() {
        cluster.client.pods().inNamespace("default").resource(new PodBuilder()
                .withNewMetadata().withName("unpullable").endMetadata()
                .withNewSpec().withNodeName("node-e2e")
                .addNewContainer().withName("app").withImage("registry.invalid/nothing:1").endContainer()
                .endSpec().build()).create();
        Pod waiting = await().atMost(Duration.ofSeconds(60)).until(
                () -> cluster.client.pods().inNamespace("default").withName("unpullable").get(),
                p -> p.getStatus() != null && p.getStatus().getContainerStatuses() != null && !p.getStatus().getContainerStatuses().isEmpty()
                        && p.getStatus().getContainerStatuses().getFirst().getState().getWaiting() != null
                        && List.of("ErrImagePull", "ImagePullBackOff").contains(
                        p.getStatus().getContainerStatuses().getFirst().getState().getWaiting().getReason()));
        assertThat(waiting.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(waiting.getStatus().getPodIP()).isNotBlank();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events("unpullable")).contains(
                "Normal Pulling spec.containers{app}: Pulling image \"registry.invalid/nothing:1\"",
                "Warning Failed spec.containers{app}: Error: ErrImagePull",
                "Normal BackOff spec.containers{app}: Back-off pulling image \"registry.invalid/nothing:1\"",
                "Warning Failed spec.containers{app}: Error: ImagePullBackOff")
                .anyMatch(e -> e.startsWith("Warning Failed spec.containers{app}: Failed to pull image \"registry.invalid/nothing:1\": ")));
        cluster.client.pods().inNamespace("default").withName("unpullable").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.client.pods().inNamespace("default").withName("unpullable").get() == null);
    }

    @Test
    void aFailingProbeIsToldAsOneUnhealthyEventCountedAgainAndAgain() {
        cluster.client.pods().inNamespace("default").resource(new PodBuilder()
                .withNewMetadata().withName("unready").endMetadata()
                .withNewSpec().withNodeName("node-e2e").withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("app").withImage("busybox:1.35")
                .withCommand("sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done")
                .withNewReadinessProbe().withNewExec().withCommand("cat", "/tmp/healthy").endExec()
                .withPeriodSeconds(1).endReadinessProbe().endContainer()
                .endSpec().build()).create();
        String message = "Readiness probe failed: cat: can't open '/tmp/healthy': No such file or directory";
        // Every failed run is the same event: one Event, its count raised (describe's "x4 over 4s").
        Event unhealthy = await().atMost(Duration.ofSeconds(60)).until(
                () -> eventsOf("unready").stream().filter(e -> "Unhealthy".equals(e.getReason())).toList(),
                list -> list.size() == 1 && list.getFirst().getCount() >= 3).getFirst();
        assertThat(unhealthy.getType()).isEqualTo("Warning");
        assertThat(unhealthy.getMessage()).isEqualTo(message);
        assertThat(unhealthy.getInvolvedObject().getFieldPath()).isEqualTo("spec.containers{app}");
        assertThat(Instant.parse(unhealthy.getLastTimestamp())).isAfter(Instant.parse(unhealthy.getFirstTimestamp()));
        cluster.client.pods().inNamespace("default").withName("unready").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.client.pods().inNamespace("default").withName("unready").get() == null);
    }

    @Test
    void aContainerFailingItsLivenessProbeIsRestartedAndItsProbeHeldMeanwhile() {
        cluster.client.pods().inNamespace("default").resource(new PodBuilder()
                .withNewMetadata().withName("liveness").endMetadata()
                .withNewSpec().withNodeName("node-e2e").withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("live").withImage("busybox:1.35")
                .withCommand("sh", "-c", "touch /tmp/healthy; sleep 4; rm -f /tmp/healthy; sleep 600")
                .withNewLivenessProbe().withNewExec().withCommand("cat", "/tmp/healthy").endExec()
                .withPeriodSeconds(1).withFailureThreshold(2).endLivenessProbe().endContainer()
                .endSpec().build()).create();
        Pod restarted = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(
                () -> cluster.client.pods().inNamespace("default").withName("liveness").get(),
                p -> p.getStatus() != null && p.getStatus().getContainerStatuses() != null && !p.getStatus().getContainerStatuses().isEmpty()
                        && p.getStatus().getContainerStatuses().getFirst().getRestartCount() >= 1);
        ContainerStatus live = restarted.getStatus().getContainerStatuses().getFirst();
        assertThat(live.getLastState().getTerminated()).isNotNull();
        assertThat(events("liveness")).contains(
                "Normal Killing spec.containers{live}: Container live failed liveness probe, will be restarted");
        // The first container was probed until it failed twice, then not again while it stopped:
        // the new one is healthy for its first 4 s.
        sleep(Duration.ofSeconds(1));
        Event unhealthy = eventsOf("liveness").stream().filter(e -> "Unhealthy".equals(e.getReason())).findFirst().orElseThrow();
        assertThat(unhealthy.getMessage()).isEqualTo("Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory");
        assertThat(unhealthy.getCount()).isEqualTo(2);
        cluster.client.pods().inNamespace("default").withName("liveness").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.client.pods().inNamespace("default").withName("liveness").get() == null);
    }

    @Test
    void aPodWhoseConfigMapIsMissingWaitsInContainerCreatingWithFailedMountUntilItExists() {
        cluster.client.pods().inNamespace("default").resource(new PodBuilder()
                .withNewMetadata().withName("needs-config").endMetadata()
                .withNewSpec().withNodeName("node-e2e").withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("app").withImage("busybox:1.35").withCommand("sh", "-c", "cat /cfg/mode; sleep 600")
                .addNewVolumeMount().withName("cfg").withMountPath("/cfg").endVolumeMount().endContainer()
                .addNewVolume().withName("cfg").withNewConfigMap().withName("late-config").endConfigMap().endVolume()
                .endSpec().build()).create();
        Pod waiting = await().atMost(Duration.ofSeconds(30)).until(
                () -> cluster.client.pods().inNamespace("default").withName("needs-config").get(),
                p -> p.getStatus() != null && p.getStatus().getContainerStatuses() != null && !p.getStatus().getContainerStatuses().isEmpty()
                        && p.getStatus().getContainerStatuses().getFirst().getState().getWaiting() != null);
        assertThat(waiting.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(waiting.getStatus().getContainerStatuses().getFirst().getState().getWaiting().getReason()).isEqualTo("ContainerCreating");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(events("needs-config")).contains(
                "Warning FailedMount null: MountVolume.SetUp failed for volume \"cfg\" : configmap \"late-config\" not found"));
        // Retried after 1, 2, 4, 8… s, not at every one-second resync of the pod.
        sleep(Duration.ofSeconds(6));
        Event failedMount = eventsOf("needs-config").stream().filter(e -> "FailedMount".equals(e.getReason())).findFirst().orElseThrow();
        assertThat(failedMount.getCount()).isBetween(2, 5);

        cluster.client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("late-config").endMetadata().withData(Map.of("mode", "on")).build()).create();
        await().atMost(Duration.ofSeconds(60)).until(
                () -> cluster.client.pods().inNamespace("default").withName("needs-config").get(),
                p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));
        cluster.client.pods().inNamespace("default").withName("needs-config").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.client.pods().inNamespace("default").withName("needs-config").get() == null);
    }

    @Test
    void postStartAndPreStopHooksRunInTheContainer() throws Exception {
        java.nio.file.Path hooks = java.nio.file.Files.createDirectories(cluster.dir.resolve("hooks"));
        cluster.client.pods().inNamespace("default").resource(new PodBuilder()
                .withNewMetadata().withName("hooked").endMetadata()
                .withNewSpec().withNodeName("node-e2e").withTerminationGracePeriodSeconds(10L)
                .addNewContainer().withName("app").withImage("busybox:1.35")
                .withCommand("sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done")
                .withNewLifecycle()
                .withNewPostStart().withNewExec().withCommand("sh", "-c", "echo post > /hooks/post").endExec().endPostStart()
                .withNewPreStop().withNewExec().withCommand("sh", "-c", "echo pre > /hooks/pre").endExec().endPreStop()
                .endLifecycle()
                .addNewVolumeMount().withName("hooks").withMountPath("/hooks").endVolumeMount().endContainer()
                .addNewVolume().withName("hooks").withNewHostPath().withPath(hooks.toString()).withType("Directory").endHostPath().endVolume()
                .endSpec().build()).create();
        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.client.pods().inNamespace("default").withName("hooked").get(),
                p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));
        await().atMost(Duration.ofSeconds(10)).until(() -> java.nio.file.Files.exists(hooks.resolve("post")));
        assertThat(hooks.resolve("post")).hasContent("post");
        assertThat(hooks.resolve("pre")).doesNotExist();

        cluster.client.pods().inNamespace("default").withName("hooked").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.client.pods().inNamespace("default").withName("hooked").get() == null);
        assertThat(hooks.resolve("pre")).hasContent("pre");
    }

    @Test
    void aFailingPostStartHookKillsTheContainerWithAnEvent() {
        cluster.client.pods().inNamespace("default").resource(new PodBuilder()
                .withNewMetadata().withName("badhook").endMetadata()
                .withNewSpec().withNodeName("node-e2e").withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("app").withImage("busybox:1.35").withCommand("sleep", "600")
                .withNewLifecycle().withNewPostStart().withNewExec().withCommand("sh", "-c", "echo no >&2; exit 7").endExec().endPostStart()
                .endLifecycle().endContainer()
                .endSpec().build()).create();
        Pod restarted = await().atMost(Duration.ofSeconds(60)).until(
                () -> cluster.client.pods().inNamespace("default").withName("badhook").get(),
                p -> p.getStatus() != null && p.getStatus().getContainerStatuses() != null && !p.getStatus().getContainerStatuses().isEmpty()
                        && p.getStatus().getContainerStatuses().getFirst().getRestartCount() >= 1);
        String uid = restarted.getMetadata().getUid();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events("badhook"))
                .contains("Normal Killing spec.containers{app}: FailedPostStartHook")
                .contains("Warning FailedPostStartHook spec.containers{app}: Exec lifecycle hook ([sh -c echo no >&2; exit 7]) for Container \"app\""
                        + " in Pod \"badhook_default(" + uid + ")\" failed - error: command 'sh -c echo no >&2; exit 7' exited with 7: no"));
        cluster.client.pods().inNamespace("default").withName("badhook").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.client.pods().inNamespace("default").withName("badhook").get() == null);
    }

    @Test
    void theAgentServesContainerLogsFromTheCriLogFiles() throws Exception {
        cluster.client.pods().inNamespace("default").resource(new PodBuilder()
                .withNewMetadata().withName("talker").endMetadata()
                .withNewSpec().withNodeName("node-e2e").withRestartPolicy("Never")
                .addNewContainer().withName("talk").withImage("busybox:1.35")
                // stderr is a pipe of its own: the pause keeps the order of the two streams in the file.
                .withCommand("sh", "-c", "for i in 1 2 3 4 5; do echo line $i; done; sleep 1; echo oops >&2").endContainer()
                .endSpec().build()).create();
        await().atMost(Duration.ofSeconds(60)).until(
                () -> cluster.client.pods().inNamespace("default").withName("talker").get(),
                p -> p.getStatus() != null && "Succeeded".equals(p.getStatus().getPhase()));
        String base = "http://127.0.0.1:" + cluster.agentPort + "/containerLogs/default/talker/talk";
        try (var http = java.net.http.HttpClient.newHttpClient()) {
            var all = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(all.statusCode()).isEqualTo(200);
            assertThat(all.body()).isEqualTo("line 1\nline 2\nline 3\nline 4\nline 5\noops\n");
            var tail = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "?tailLines=2&timestamps=true&follow=true")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(tail.body()).matches("(?s)\\d{4}-\\d\\d-\\d\\dT\\S+Z line 5\n\\S+ oops\n");
            var previous = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "?previous=true")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(previous.statusCode()).isEqualTo(400);
            assertThat(previous.body()).isEqualTo("previous terminated container \"talk\" in pod \"talker\" not found");
            var unknown = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    "http://127.0.0.1:" + cluster.agentPort + "/containerLogs/default/talker/nosuch")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(unknown.body()).isEqualTo("container nosuch is not valid for pod talker");
        }
        // The same through the gateway's pods/log, which relays to the agent at the Node's address and port.
        assertThat(cluster.client.pods().inNamespace("default").withName("talker").tailingLines(1).getLog()).isEqualTo("oops\n");
    }

    @Test
    void kubectlTopShowsTheNodesAndThePodsUsage() {
        cluster.client.pods().inNamespace("default").resource(new PodBuilder()
                .withNewMetadata().withName("idler").endMetadata()
                .withNewSpec().withNodeName("node-e2e")
                .addNewContainer().withName("idle").withImage("busybox:1.35").withCommand("sleep", "3600").endContainer()
                .endSpec().build()).create();
        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.client.pods().inNamespace("default").withName("idler").get(),
                p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));
        io.kube4j.testsupport.Kubectl kubectl = io.kube4j.testsupport.Kubectl.forKubeconfig(cluster.kubeconfig);
        // Two samples 15 s apart make the first rate.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(3)).untilAsserted(() -> {
            var nodes = kubectl.run("top", "nodes", "--no-headers");
            assertThat(nodes.out()).as(nodes.toString()).containsPattern("(?m)^node-e2e\\s+\\d+m\\s+\\d+%\\s+\\d+Mi\\s+\\d+%");
        });
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(3)).untilAsserted(() -> {
            var pods = kubectl.run("top", "pods", "--containers", "--no-headers");
            assertThat(pods.out()).as(pods.toString()).containsPattern("(?m)^idler\\s+idle\\s+\\d+m\\s+\\d+Mi");
        });
        cluster.client.pods().inNamespace("default").withName("idler").withGracePeriod(0).delete();
    }

    @Test
    void aHollowNodeRunsItsPodsAtOnceWithoutAnyProcess() {
        try (var hollow = io.kube4j.node.NodeAgentApplication.application().run(
                "--server.port=0", "--kube4j.node.name=hollow-1", "--kube4j.node.runtime=fake",
                "--kube4j.node.kubeconfig=" + cluster.kubeconfig, "--kube4j.node.pod-cidr=10.99.1.0/24",
                "--kube4j.node.root-dir=" + cluster.dir.resolve("hollow-1"), "--kube4j.gateway.tls.enabled=false",
                "--spring.data.redis.port=" + cluster.redisPort, "--spring.main.banner-mode=off")) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Node node = cluster.client.nodes().withName("hollow-1").get();
                assertThat(node).isNotNull();
                assertThat(node.getMetadata().getLabels()).containsEntry("kube4j.io/hollow", "true");
                assertThat(condition(node, "Ready")).isEqualTo("True");
            });
            cluster.client.pods().inNamespace("default").resource(new PodBuilder()
                    .withNewMetadata().withName("hollow-pod").endMetadata()
                    .withNewSpec().withNodeName("hollow-1")
                    .addNewContainer().withName("app").withImage("nginx:1.22").endContainer()
                    .endSpec().build()).create();
            Pod running = await().atMost(Duration.ofSeconds(30)).until(
                    () -> cluster.client.pods().inNamespace("default").withName("hollow-pod").get(),
                    p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));
            assertThat(running.getStatus().getPodIP()).startsWith("10.99.1.");
            assertThat(running.getStatus().getContainerStatuses().getFirst().getReady()).isTrue();
            cluster.client.pods().inNamespace("default").withName("hollow-pod").delete();
            await().atMost(Duration.ofSeconds(30)).until(() -> cluster.client.pods().inNamespace("default").withName("hollow-pod").get() == null);
        }
    }

    private static String condition(Node node, String type) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) return "";
        return node.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst()
                .map(NodeCondition::getStatus).orElse("");
    }

    private static Map<String, String> conditions(Pod pod) {
        if (pod.getStatus().getConditions() == null) return Map.of();
        return pod.getStatus().getConditions().stream().collect(Collectors.toMap(PodCondition::getType, PodCondition::getStatus));
    }

    private static List<Event> eventsOf(String pod) {
        return cluster.client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> pod.equals(e.getInvolvedObject().getName())).toList();
    }

    /** The pod's events as {@code "Type Reason fieldPath: message"}. */
    private static List<String> events(String pod) {
        return eventsOf(pod).stream().map(e -> e.getType() + " " + e.getReason() + " " + e.getInvolvedObject().getFieldPath()
                + ": " + e.getMessage()).toList();
    }

    /** One Redis command over RESP; returns the reply's first line, and for bulk strings "$len value". */
    private static String redis(String... command) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", cluster.redisPort)) {
            PrintWriter out = new PrintWriter(socket.getOutputStream(), false, StandardCharsets.UTF_8);
            out.print("*" + command.length + "\r\n");
            for (String part : command) out.print("$" + part.getBytes(StandardCharsets.UTF_8).length + "\r\n" + part + "\r\n");
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String first = in.readLine();
            if (first.startsWith("$") && !first.equals("$-1")) return first + " " + in.readLine();
            return first;
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
