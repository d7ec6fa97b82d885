package io.kube4j.node.eviction;

import io.kube4j.node.eviction.MemoryEviction.ContainerMemory;
import io.kube4j.node.eviction.MemoryEviction.NodeMemory;
import io.kube4j.node.eviction.MemoryEviction.PodMemory;
import io.kube4j.node.eviction.MemoryEviction.QosClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class MemoryEvictionTest {

    private static final long MI = 1024 * 1024;
    private static final long THRESHOLD = 100 * MI;
    private static final NodeMemory PRESSED = new NodeMemory(1024 * MI, 1000 * MI);

    private static PodMemory pod(String name, QosClass qos, long usageMi, long requestMi) {
        return new PodMemory("default", name, qos, List.of(new ContainerMemory("app", usageMi * MI, requestMi * MI)));
    }

    record Case(String description, List<PodMemory> pods, String evicted) {
        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("BestEffort before Burstable, however much the Burstable one uses",
                        List.of(pod("burst", QosClass.BURSTABLE, 500, 10), pod("best", QosClass.BEST_EFFORT, 1, 0)), "best"),
                new Case("Burstable before Guaranteed",
                        List.of(pod("guaranteed", QosClass.GUARANTEED, 400, 400), pod("burst", QosClass.BURSTABLE, 20, 10)), "burst"),
                new Case("within a class, the most over its request",
                        List.of(pod("a", QosClass.BURSTABLE, 300, 290), pod("b", QosClass.BURSTABLE, 100, 20)), "b"),
                new Case("within BestEffort, the largest user",
                        List.of(pod("small", QosClass.BEST_EFFORT, 5, 0), pod("big", QosClass.BEST_EFFORT, 50, 0)), "big"),
                new Case("only Guaranteed pods: one of them",
                        List.of(pod("g1", QosClass.GUARANTEED, 100, 100)), "g1"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void underPressureOnePodGoesInQosOrder(Case c) {
        assertThat(MemoryEviction.decide(PRESSED, THRESHOLD, c.pods())).get()
                .extracting(d -> d.pod().name()).isEqualTo(c.evicted());
    }

    @Test
    void noPressureNoEviction() {
        NodeMemory plenty = new NodeMemory(1024 * MI, 512 * MI);
        assertThat(MemoryEviction.underPressure(plenty, THRESHOLD)).isFalse();
        assertThat(MemoryEviction.decide(plenty, THRESHOLD, List.of(pod("best", QosClass.BEST_EFFORT, 1, 0)))).isEmpty();
        assertThat(MemoryEviction.decide(PRESSED, THRESHOLD, List.of())).isEmpty();
    }

    @Test
    void theMessageSaysWhatWasShortAndWhoUsedIt() {
        var decision = MemoryEviction.decide(PRESSED, THRESHOLD, List.of(pod("best", QosClass.BEST_EFFORT, 20, 0))).orElseThrow();
        assertThat(decision.message()).isEqualTo("The node was low on resource: memory. Threshold quantity: 100Mi, "
                + "available: 24Mi. Container app was using 20Mi, request is 0, has larger consumption of memory.");
    }

    @Test
    void qosClassesReadFromThePodStatus() {
        assertThat(QosClass.of("BestEffort")).isEqualTo(QosClass.BEST_EFFORT);
        assertThat(QosClass.of("Burstable")).isEqualTo(QosClass.BURSTABLE);
        assertThat(QosClass.of("Guaranteed")).isEqualTo(QosClass.GUARANTEED);
    }
}
