package io.kube4j.node.node;

import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.kube4j.machinery.events.RecordingEventRecorder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NodeEventsTest {

    private static NodeStatus status(String memory, String disk, String pid, String ready) {
        return new NodeStatusBuilder()
                .addNewCondition().withType("MemoryPressure").withStatus(memory).endCondition()
                .addNewCondition().withType("DiskPressure").withStatus(disk).endCondition()
                .addNewCondition().withType("PIDPressure").withStatus(pid).endCondition()
                .addNewCondition().withType("Ready").withStatus(ready).endCondition()
                .build();
    }

    @Test
    void aNewNodeTellsEveryConditionThenOnlyTheOnesThatChange() {
        RecordingEventRecorder recorder = new RecordingEventRecorder();
        NodeEvents events = new NodeEvents(recorder, "worker-1");
        events.started();
        NodeStatus healthy = status("False", "False", "False", "True");
        events.statusWritten(null, healthy);
        assertThat(recorder.events()).containsExactly(
                "Normal Starting worker-1: Starting kubelet.",
                "Normal NodeAllocatableEnforced worker-1: Updated Node Allocatable limit across pods",
                "Normal NodeHasSufficientMemory worker-1: Node worker-1 status is now: NodeHasSufficientMemory",
                "Normal NodeHasNoDiskPressure worker-1: Node worker-1 status is now: NodeHasNoDiskPressure",
                "Normal NodeHasSufficientPID worker-1: Node worker-1 status is now: NodeHasSufficientPID",
                "Normal NodeReady worker-1: Node worker-1 status is now: NodeReady");

        recorder.clear();
        events.statusWritten(healthy, status("True", "False", "False", "False"));
        events.statusWritten(healthy, healthy);
        assertThat(recorder.events()).containsExactly(
                "Normal NodeHasInsufficientMemory worker-1: Node worker-1 status is now: NodeHasInsufficientMemory",
                "Normal NodeNotReady worker-1: Node worker-1 status is now: NodeNotReady");
    }

    @Test
    void theKubeletNamesItsNodeByNameAsTheEventsUid() {
        assertThat(NodeEvents.transitions(new NodeStatus(), status("False", "False", "True", "True")))
                .containsExactly("NodeHasSufficientMemory", "NodeHasNoDiskPressure", "NodeHasInsufficientPID", "NodeReady");
        var recorded = new java.util.ArrayList<io.fabric8.kubernetes.api.model.HasMetadata>();
        new NodeEvents((object, type, reason, message) -> recorded.add(object), "worker-2").started();
        assertThat(recorded).allSatisfy(node -> {
            assertThat(node.getKind()).isEqualTo("Node");
            assertThat(node.getMetadata().getUid()).isEqualTo("worker-2");
            assertThat(node.getMetadata().getNamespace()).isNull();
        });
    }
}
