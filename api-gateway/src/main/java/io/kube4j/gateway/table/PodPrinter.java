package io.kube4j.gateway.table;

import io.kube4j.machinery.object.KubeObject;
import io.kube4j.machinery.object.JsonTree;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pods: {@code NAME READY STATUS RESTARTS AGE | IP NODE NOMINATED NODE READINESS GATES}.
 *
 * <p>STATUS is the summary kubectl users know: the phase, or the pod's reason, overridden by the
 * first init container that has not finished ({@code Init:0/2}, {@code Init:CrashLoopBackOff},
 * {@code Init:Error}, {@code Init:ExitCode:1}), else by the waiting or terminated reason of the
 * containers ({@code ContainerCreating}, {@code CrashLoopBackOff}, {@code ImagePullBackOff},
 * {@code Completed}, {@code Error}, {@code OOMKilled}, {@code Signal:9}), and by
 * {@code Terminating} once a deletion is requested. Sidecars (init containers with
 * {@code restartPolicy: Always}) count as containers once started.
 */
final class PodPrinter implements TablePrinter {

    private static final List<TableColumn> COLUMNS = List.of(
            TableColumn.nameColumn(),
            TableColumn.string("Ready", "The aggregate readiness state of this pod for accepting traffic."),
            TableColumn.string("Status", "The aggregate status of the containers in this pod."),
            TableColumn.string("Restarts", "The number of times the containers in this pod have been restarted"
                    + " and when the last container in this pod has restarted."),
            TableColumn.ageColumn(),
            TableColumn.string("IP", "IP address allocated to the pod. Routable at least within the cluster.").wide(),
            TableColumn.string("Node", "NodeName indicates in which node this pod is scheduled.").wide(),
            TableColumn.string("Nominated Node", "nominatedNodeName is set only when this pod preempts other pods"
                    + " on the node, but it cannot be scheduled right away as preemption victims receive their"
                    + " graceful termination periods.").wide(),
            TableColumn.string("Readiness Gates", "If specified, all readiness gates will be evaluated for pod"
                    + " readiness.").wide());

    /** The reason the node lifecycle controller gives pods on a lost node. */
    private static final String NODE_LOST = "NodeLost";

    @Override
    public List<TableColumn> columns() {
        return COLUMNS;
    }

    @Override
    public List<RowCondition> conditions(ObjectNode pod) {
        return switch (Fields.text(pod, "status.phase")) {
            case "Succeeded" -> List.of(new RowCondition("Completed", "True", "Succeeded", "The pod has completed successfully."));
            case "Failed" -> List.of(new RowCondition("Completed", "True", "Failed", "The pod failed."));
            default -> List.of();
        };
    }

    @Override
    public List<Object> cells(ObjectNode pod, Instant now) {
        Summary s = summarize(pod);
        String restarts = Long.toString(s.restarts);
        if (s.restarts != 0 && s.lastRestart != null) {
            restarts = s.restarts + " (" + HumanDuration.format(Duration.between(s.lastRestart, now)) + " ago)";
        }
        List<Object> cells = new ArrayList<>(COLUMNS.size());
        cells.add(Fields.text(pod, "metadata.name"));
        cells.add(s.ready + "/" + s.total);
        cells.add(s.reason);
        cells.add(restarts);
        cells.add(HumanDuration.since(Fields.text(pod, "metadata.creationTimestamp"), now));
        cells.add(orNone(podIp(pod)));
        cells.add(orNone(Fields.text(pod, "spec.nodeName")));
        cells.add(orNone(Fields.text(pod, "status.nominatedNodeName")));
        cells.add(readinessGates(pod));
        return cells;
    }

    /** What the READY, STATUS and RESTARTS columns say about one pod. */
    record Summary(int ready, int total, String reason, long restarts, Instant lastRestart) {}

    static Summary summarize(JsonNode pod) {
        List<JsonNode> containers = Fields.list(pod, "spec.containers");
        List<JsonNode> initContainers = Fields.list(pod, "spec.initContainers");
        int total = containers.size();
        int ready = 0;
        long restarts = 0;
        long sidecarRestarts = 0;
        Instant lastRestart = null;
        Instant lastSidecarRestart = null;

        String phase = Fields.text(pod, "status.phase");
        String reason = Fields.has(pod, "status.reason") ? Fields.text(pod, "status.reason") : phase;
        for (JsonNode condition : Fields.list(pod, "status.conditions")) {
            if ("PodScheduled".equals(Fields.text(condition, "type")) && "SchedulingGated".equals(Fields.text(condition, "reason"))) {
                reason = "SchedulingGated";
            }
        }

        Map<String, Boolean> sidecars = new HashMap<>();
        for (JsonNode init : initContainers) {
            boolean sidecar = "Always".equals(Fields.text(init, "restartPolicy"));
            sidecars.put(Fields.text(init, "name"), sidecar);
            if (sidecar) {
                total++;
            }
        }

        boolean initializing = false;
        List<JsonNode> initStatuses = Fields.list(pod, "status.initContainerStatuses");
        for (int i = 0; i < initStatuses.size(); i++) {
            JsonNode status = initStatuses.get(i);
            restarts += Fields.integer(status, "restartCount", 0);
            Instant finished = lastTerminationFinishedAt(status);
            lastRestart = later(lastRestart, finished);
            boolean sidecar = sidecars.getOrDefault(Fields.text(status, "name"), false);
            if (sidecar) {
                sidecarRestarts += Fields.integer(status, "restartCount", 0);
                lastSidecarRestart = later(lastSidecarRestart, finished);
            }
            JsonNode terminated = JsonTree.at(status, "state.terminated");
            JsonNode waiting = JsonTree.at(status, "state.waiting");
            if (terminated.isObject() && Fields.integer(terminated, "exitCode", 0) == 0) {
                continue;
            }
            if (sidecar && Fields.bool(status, "started")) {
                if (Fields.bool(status, "ready")) {
                    ready++;
                }
                continue;
            }
            if (terminated.isObject()) {
                reason = "Init:" + terminatedReason(terminated);
            } else if (waiting.isObject() && Fields.has(waiting, "reason")
                    && !"PodInitializing".equals(Fields.text(waiting, "reason"))) {
                reason = "Init:" + Fields.text(waiting, "reason");
            } else {
                reason = "Init:" + i + "/" + initContainers.size();
            }
            initializing = true;
            break;
        }

        if (!initializing || KubeObject.conditionTrue(pod, "Initialized")) {
            restarts = sidecarRestarts;
            lastRestart = lastSidecarRestart;
            boolean hasRunning = false;
            List<JsonNode> statuses = Fields.list(pod, "status.containerStatuses");
            // The last container's state wins only if an earlier one says nothing: walk backwards.
            for (int i = statuses.size() - 1; i >= 0; i--) {
                JsonNode status = statuses.get(i);
                restarts += Fields.integer(status, "restartCount", 0);
                lastRestart = later(lastRestart, lastTerminationFinishedAt(status));
                JsonNode terminated = JsonTree.at(status, "state.terminated");
                JsonNode waiting = JsonTree.at(status, "state.waiting");
                if (waiting.isObject() && Fields.has(waiting, "reason")) {
                    reason = Fields.text(waiting, "reason");
                } else if (terminated.isObject()) {
                    reason = terminatedReason(terminated);
                } else if (Fields.bool(status, "ready") && JsonTree.at(status, "state.running").isObject()) {
                    hasRunning = true;
                    ready++;
                }
            }
            if ("Completed".equals(reason) && hasRunning) {
                reason = KubeObject.conditionTrue(pod, "Ready") ? "Running" : "NotReady";
            }
        }

        boolean deleting = Fields.has(pod, "metadata.deletionTimestamp");
        if (deleting && NODE_LOST.equals(Fields.text(pod, "status.reason"))) {
            reason = "Unknown";
        } else if (deleting && !"Succeeded".equals(phase) && !"Failed".equals(phase)) {
            reason = "Terminating";
        }
        return new Summary(ready, total, reason, restarts, lastRestart);
    }

    /** A terminated state's reason, else {@code Signal:N} or {@code ExitCode:N}. */
    private static String terminatedReason(JsonNode terminated) {
        if (Fields.has(terminated, "reason")) {
            return Fields.text(terminated, "reason");
        }
        long signal = Fields.integer(terminated, "signal", 0);
        return signal != 0 ? "Signal:" + signal : "ExitCode:" + Fields.integer(terminated, "exitCode", 0);
    }

    private static Instant lastTerminationFinishedAt(JsonNode status) {
        JsonNode last = JsonTree.at(status, "lastState.terminated");
        return last.isObject() ? HumanDuration.parse(Fields.text(last, "finishedAt")) : null;
    }

    private static Instant later(Instant a, Instant b) {
        if (b == null) return a;
        if (a == null) return b;
        return b.isAfter(a) ? b : a;
    }


    private static String podIp(JsonNode pod) {
        List<JsonNode> ips = Fields.list(pod, "status.podIPs");
        if (!ips.isEmpty()) {
            return Fields.text(ips.getFirst(), "ip");
        }
        return Fields.text(pod, "status.podIP");
    }

    private static String readinessGates(JsonNode pod) {
        List<JsonNode> gates = Fields.list(pod, "spec.readinessGates");
        if (gates.isEmpty()) {
            return Selectors.NONE;
        }
        int trueConditions = 0;
        for (JsonNode gate : gates) {
            String type = Fields.text(gate, "conditionType");
            for (JsonNode condition : Fields.list(pod, "status.conditions")) {
                if (type.equals(Fields.text(condition, "type"))) {
                    if ("True".equals(Fields.text(condition, "status"))) {
                        trueConditions++;
                    }
                    break;
                }
            }
        }
        return trueConditions + "/" + gates.size();
    }

    private static String orNone(String s) {
        return s.isEmpty() ? Selectors.NONE : s;
    }
}
