package io.kube4j.node.eviction;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kube4j.node.runtime.FakeRuntime;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EvictionManagerTest {

    static final long GI = 1L << 30;

    final List<Pod> pods = new ArrayList<>();
    final List<String> evicted = new ArrayList<>();
    long workingSet = 0;

    EvictionManager manager(long threshold) {
        return new EvictionManager("n1", 8 * GI, threshold, () -> workingSet, new FakeRuntime("10.99.0.0/24", Clock.systemUTC()),
                () -> List.copyOf(pods), (pod, message) -> evicted.add(pod.getMetadata().getName() + ": " + message), Clock.systemUTC());
    }

    static Pod pod(String name, String memoryRequest, String memoryLimit) {
        var container = new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("app").withImage("busybox");
        if (memoryRequest != null || memoryLimit != null) {
            var resources = new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder();
            if (memoryRequest != null) resources.addToRequests(Map.of("memory", new Quantity(memoryRequest), "cpu", new Quantity("100m")));
            if (memoryLimit != null) resources.addToLimits(Map.of("memory", new Quantity(memoryLimit), "cpu", new Quantity("100m")));
            container.withResources(resources.build());
        }
        return new PodBuilder().withNewMetadata().withNamespace("default").withName(name).withUid("uid-" + name).endMetadata()
                .withNewSpec().withNodeName("n1").withContainers(container.build()).endSpec()
                .withNewStatus().withPhase("Running").endStatus().build();
    }

    @Test
    void withoutPressureNothingIsEvicted() {
        pods.add(pod("best-effort", null, null));
        workingSet = 4 * GI;
        manager(100L << 20).check();
        assertThat(evicted).isEmpty();
    }

    @Test
    void underPressureOnePodARoundGoesInQosOrder() {
        pods.add(pod("guaranteed", "64Mi", "64Mi"));
        pods.add(pod("burstable", "32Mi", null));
        pods.add(pod("best-effort", null, null));
        workingSet = 8 * GI - (50L << 20);
        EvictionManager manager = manager(100L << 20);

        manager.check();
        assertThat(evicted).hasSize(1);
        assertThat(evicted.getFirst()).startsWith("best-effort: The node was low on resource: memory. Threshold quantity: 100Mi");

        // The victim is now Failed; the next round takes the next class.
        pods.set(2, new PodBuilder(pods.get(2)).editStatus().withPhase("Failed").endStatus().build());
        manager.check();
        assertThat(evicted).hasSize(2);
        assertThat(evicted.getLast()).startsWith("burstable: ");
    }

    @Test
    void podsBeingDeletedOrFinishedAreNotCandidates() {
        pods.add(new PodBuilder(pod("deleting", null, null)).editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata().build());
        pods.add(new PodBuilder(pod("done", null, null)).editStatus().withPhase("Succeeded").endStatus().build());
        pods.add(pod("guaranteed", "64Mi", "64Mi"));
        workingSet = 8 * GI;
        manager(100L << 20).check();
        assertThat(evicted).singleElement().asString().startsWith("guaranteed: ");
    }

    @Test
    void anUnknownWorkingSetSkipsTheRound() {
        pods.add(pod("best-effort", null, null));
        workingSet = -1;
        manager(100L << 20).check();
        assertThat(evicted).isEmpty();
    }
}
