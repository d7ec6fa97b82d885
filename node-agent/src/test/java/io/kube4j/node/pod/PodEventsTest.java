package io.kube4j.node.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kube4j.machinery.events.RecordingEventRecorder;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class PodEventsTest {

    private final RecordingEventRecorder recorder = new RecordingEventRecorder();
    private final PodEvents events = new PodEvents(recorder);
    private final Pod pod = new PodBuilder().withNewMetadata().withNamespace("shop").withName("web").withUid("u-1").endMetadata()
            .withNewSpec()
            .addNewInitContainer().withName("setup").withImage("busybox:1.35").endInitContainer()
            .addNewContainer().withName("nginx").withImage("nginx:1.22").endContainer()
            .endSpec().build();
    private final Container nginx = pod.getSpec().getContainers().getFirst();
    private final Container setup = pod.getSpec().getInitContainers().getFirst();

    @Test
    void aStartIsToldAboutTheContainerAsTheKubeletTellsIt() {
        events.imagePresent(pod, setup);
        events.created(pod, nginx);
        events.started(pod, nginx);
        events.killing(pod, nginx, "Stopping container nginx");

        assertThat(recorder.events()).containsExactly(
                "Normal Pulled shop/web spec.initContainers{setup}: Container image \"busybox:1.35\" already present on machine",
                "Normal Created shop/web spec.containers{nginx}: Created container: nginx",
                "Normal Started shop/web spec.containers{nginx}: Started container nginx",
                "Normal Killing shop/web spec.containers{nginx}: Stopping container nginx");
    }

    @Test
    void failuresCarryTheReasonsKubectlDescribeShows() {
        events.pullFailed(pod, nginx, "Failed to pull image \"nginx:1.22\": not found");
        events.pullBackOff(pod, nginx);
        events.neverPull(pod, nginx, "Container image \"nginx:1.22\" is not present with pull policy of Never");
        events.crashBackOff(pod, nginx);
        events.unhealthy(pod, nginx, "Liveness", "HTTP probe failed with statuscode: 500");
        events.createFailed(pod, nginx, "configmap \"settings\" not found");

        assertThat(recorder.events()).containsExactly(
                "Warning Failed shop/web spec.containers{nginx}: Failed to pull image \"nginx:1.22\": not found",
                "Warning Failed shop/web spec.containers{nginx}: Error: ErrImagePull",
                "Normal BackOff shop/web spec.containers{nginx}: Back-off pulling image \"nginx:1.22\"",
                "Warning Failed shop/web spec.containers{nginx}: Error: ImagePullBackOff",
                "Warning ErrImageNeverPull shop/web spec.containers{nginx}: Container image \"nginx:1.22\" is not present with pull policy of Never",
                "Warning Failed shop/web spec.containers{nginx}: Error: ErrImageNeverPull",
                "Warning BackOff shop/web spec.containers{nginx}: Back-off restarting failed container nginx in pod web_shop(u-1)",
                "Warning Unhealthy shop/web spec.containers{nginx}: Liveness probe failed: HTTP probe failed with statuscode: 500",
                "Warning Failed shop/web spec.containers{nginx}: Error: configmap \"settings\" not found");
    }

    @Test
    void podEventsNameNoContainer() {
        events.sandboxChanged(pod);
        events.evicted(pod, "The node was low on resource: memory.");
        assertThat(recorder.events()).containsExactly(
                "Normal SandboxChanged shop/web: Pod sandbox changed, it will be killed and re-created.",
                "Warning Evicted shop/web: The node was low on resource: memory.");
    }

    @Test
    void pullTimesArePrintedAsGoPrintsDurations() {
        assertThat(PodEvents.goDuration(Duration.ZERO)).isEqualTo("0s");
        assertThat(PodEvents.goDuration(Duration.ofMillis(512))).isEqualTo("512ms");
        assertThat(PodEvents.goDuration(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(PodEvents.goDuration(Duration.ofMillis(6377))).isEqualTo("6.377s");
        assertThat(PodEvents.goDuration(Duration.ofSeconds(2))).isEqualTo("2s");
        assertThat(PodEvents.goDuration(Duration.ofMillis(62_003))).isEqualTo("1m2.003s");
        events.pulled(pod, nginx, Duration.ofMillis(1234), 56_000_123);
        events.pulled(pod, nginx, Duration.ofMillis(1234), -1);
        assertThat(recorder.events()).containsExactly(
                "Normal Pulled shop/web spec.containers{nginx}: Successfully pulled image \"nginx:1.22\" in 1.234s (1.234s including waiting). "
                        + "Image size: 56000123 bytes.",
                "Normal Pulled shop/web spec.containers{nginx}: Successfully pulled image \"nginx:1.22\" in 1.234s (1.234s including waiting)");
    }
}
