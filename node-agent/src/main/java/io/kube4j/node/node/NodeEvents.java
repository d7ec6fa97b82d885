package io.kube4j.node.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.kube4j.machinery.events.EventRecorder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The kubelet's events about its Node, what {@code kubectl describe node} lists: {@code Starting} and
 * {@code NodeAllocatableEnforced} when the agent starts, and one event per condition that is new or changed
 * ({@code NodeHasSufficientMemory}, {@code NodeReady}, {@code NodeNotReady}, …). As the kubelet, it names the
 * Node by name in the event's {@code involvedObject.uid}; the events live in the {@code default} namespace.
 */
public final class NodeEvents {

    /** Condition type → the reason when it is False, the reason when it is True. */
    private static final Map<String, List<String>> REASONS = Map.of(
            "MemoryPressure", List.of("NodeHasSufficientMemory", "NodeHasInsufficientMemory"),
            "DiskPressure", List.of("NodeHasNoDiskPressure", "NodeHasDiskPressure"),
            "PIDPressure", List.of("NodeHasSufficientPID", "NodeHasInsufficientPID"),
            "Ready", List.of("NodeNotReady", "NodeReady"));
    private static final List<String> ORDER = List.of("MemoryPressure", "DiskPressure", "PIDPressure", "Ready");

    private final EventRecorder recorder;
    private final Node node;

    public NodeEvents(EventRecorder recorder, String nodeName) {
        this.recorder = recorder;
        this.node = new NodeBuilder().withNewMetadata().withName(nodeName).withUid(nodeName).endMetadata().build();
    }

    /** The agent started: it tells so, and that it enforces the node's allocatable. */
    public void started() {
        recorder.event(node, EventRecorder.NORMAL, "Starting", "Starting kubelet.");
        recorder.event(node, EventRecorder.NORMAL, "NodeAllocatableEnforced", "Updated Node Allocatable limit across pods");
    }

    /** Tells the conditions of {@code written} that {@code before} (null: none written yet) did not have with that status. */
    public void statusWritten(NodeStatus before, NodeStatus written) {
        for (String reason : transitions(before, written)) {
            recorder.event(node, EventRecorder.NORMAL, reason, "Node " + node.getMetadata().getName() + " status is now: " + reason);
        }
    }

    /** The reasons of the conditions new or changed from {@code before} to {@code after}, in the kubelet's order. Pure. */
    static List<String> transitions(NodeStatus before, NodeStatus after) {
        List<String> out = new ArrayList<>();
        for (String type : ORDER) {
            String now = status(after, type);
            if (now == null || now.equals(status(before, type))) continue;
            if (now.equals("True")) out.add(REASONS.get(type).get(1));
            else if (now.equals("False")) out.add(REASONS.get(type).get(0));
        }
        return out;
    }

    private static String status(NodeStatus status, String type) {
        if (status == null || status.getConditions() == null) return null;
        return status.getConditions().stream().filter(c -> type.equals(c.getType())).map(NodeCondition::getStatus)
                .findFirst().orElse(null);
    }
}
