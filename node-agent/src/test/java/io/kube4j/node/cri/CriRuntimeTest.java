package io.kube4j.node.cri;

import io.kube4j.node.cri.api.ContainerConfig;
import io.kube4j.node.cri.api.ContainerMetadata;
import io.kube4j.node.cri.api.ImageSpec;
import io.kube4j.node.cri.api.PodSandboxConfig;
import io.kube4j.node.cri.api.PodSandboxMetadata;
import io.kube4j.node.runtime.ContainerRuntime;
import io.kube4j.node.runtime.RuntimeSnapshot;
import io.kube4j.node.runtime.RuntimeSnapshot.ContainerState;
import io.kube4j.testsupport.ContainerdProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The CRI client against a real containerd, runc and CNI. */
class CriRuntimeTest {

    static ContainerdProcess containerd;
    static CriRuntime runtime;

    @BeforeAll
    static void start() {
        containerd = ContainerdProcess.start();
        runtime = new CriRuntime(containerd.socket().toString());
    }

    @AfterAll
    static void stop() {
        if (runtime != null) runtime.close();
        if (containerd != null) containerd.close();
    }

    @Test
    void versionNamesContainerd() {
        assertThat(runtime.version()).startsWith("containerd ").contains("CRI v1");
    }

    @Test
    void localImagesAreThereAndAMissingOneCannotBePulled() {
        assertThat(runtime.imageId("busybox:1.35")).startsWith("sha256:");
        assertThat(runtime.imageId("docker.io/library/nginx:1.22")).startsWith("sha256:");
        assertThat(runtime.imageId("nosuch.example/missing:1")).isNull();
        // busybox is about 4-5 MB unpacked, nginx about 140 MB; the runtime gives the size the Pulled event tells.
        assertThat(runtime.imageSize("busybox:1.35")).isBetween(1_000_000L, 20_000_000L);
        assertThat(runtime.imageSize("docker.io/library/nginx:1.22")).isGreaterThan(runtime.imageSize("busybox:1.35"));
        assertThat(runtime.imageSize("nosuch.example/missing:1")).isEqualTo(-1);
        assertThatThrownBy(() -> runtime.pullImage("nosuch.invalid/missing:1"))
                .isInstanceOf(ContainerRuntime.RuntimeError.class).hasMessageStartingWith("PullImage: ");
    }

    @Test
    void aSandboxGetsAnAddressOfThePodSubnetAndRunsAContainer() throws Exception {
        String uid = UUID.randomUUID().toString();
        Path logs = containerd.dir().resolve("pods").resolve(uid);
        Files.createDirectories(logs);
        PodSandboxConfig sandboxConfig = PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName("cri-test").setNamespace("default").setUid(uid))
                .setHostname("cri-test")
                .setLogDirectory(logs.toString())
                .putLabels(RuntimeSnapshot.LABEL_POD_UID, uid)
                .build();
        String sandbox = runtime.runPodSandbox(sandboxConfig);

        RuntimeSnapshot.PodRuntimeStatus pod = runtime.snapshot().pod(uid);
        assertThat(pod.sandbox().ready()).isTrue();
        String ip = pod.sandbox().ips().getFirst();
        String prefix = containerd.podCidr().substring(0, containerd.podCidr().lastIndexOf('.') + 1);
        assertThat(ip).startsWith(prefix);

        String id = runtime.createContainer(sandbox, ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName("main").setAttempt(0))
                .setImage(ImageSpec.newBuilder().setImage("busybox:1.35"))
                .addAllCommand(List.of("sh", "-c", "echo hello from $HOSTNAME; exec sleep 3600"))
                .setLogPath("main/0.log")
                .putLabels(RuntimeSnapshot.LABEL_POD_UID, uid)
                .putLabels(RuntimeSnapshot.LABEL_CONTAINER_NAME, "main")
                .build(), sandboxConfig);
        runtime.startContainer(id);

        ContainerState running = runtime.snapshot().pod(uid).latest("main");
        assertThat(running.state()).isEqualTo(ContainerState.State.RUNNING);
        assertThat(running.imageRef()).startsWith("sha256:");
        assertThat(running.startedAt()).isNotNull();

        ContainerRuntime.ExecResult exec = runtime.execSync(id, List.of("cat", "/etc/hostname"), Duration.ofSeconds(10));
        assertThat(exec.exitCode()).isZero();
        assertThat(new String(exec.stdout(), StandardCharsets.UTF_8).trim()).isEqualTo("cri-test");
        assertThat(runtime.execSync(id, List.of("sh", "-c", "exit 3"), Duration.ofSeconds(10)).exitCode()).isEqualTo(3);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(Files.readString(logs.resolve("main/0.log"))).contains("stdout F hello from cri-test"));

        runtime.stopContainer(id, Duration.ofSeconds(1));
        ContainerState exited = runtime.snapshot().pod(uid).latest("main");
        assertThat(exited.state()).isEqualTo(ContainerState.State.EXITED);
        assertThat(exited.exitCode()).as("killed by SIGTERM or SIGKILL").isIn(143, 137);
        assertThat(exited.finishedAt()).isAfterOrEqualTo(exited.startedAt());

        runtime.removeContainer(id);
        runtime.removeContainer(id);
        runtime.stopPodSandbox(sandbox);
        runtime.removePodSandbox(sandbox);
        runtime.removePodSandbox(sandbox);
        assertThat(runtime.snapshot().pods()).doesNotContainKey(uid);
    }
}
