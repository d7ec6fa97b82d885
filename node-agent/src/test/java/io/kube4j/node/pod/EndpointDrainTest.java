package io.kube4j.node.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class EndpointDrainTest {

    @ParameterizedTest(name = "deleted={0} ready={1} grace={2}s drain={3}s → {4} ms")
    @CsvSource({
            "true,  true,  30, 3, 3000",
            "true,  true,  4,  3, 2000",
            "true,  true,  0,  3, 0",
            "true,  false, 30, 3, 0",
            "false, true,  30, 3, 0",
            "true,  true,  30, 0, 0",
    })
    void aDeletedServingPodDrainsBeforeItsContainersStop(boolean deleted, boolean ready, int grace, int drain, long expectedMillis) {
        Pod pod = new PodBuilder().withNewMetadata().withName("web").withDeletionTimestamp(deleted ? "2026-01-01T00:00:00Z" : null).endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition().endStatus().build();
        assertThat(PodSyncer.drainFor(pod, Duration.ofSeconds(grace), Duration.ofSeconds(drain)).toMillis()).isEqualTo(expectedMillis);
    }
}
