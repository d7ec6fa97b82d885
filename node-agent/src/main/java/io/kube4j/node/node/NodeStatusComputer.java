package io.kube4j.node.node;

import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Node status the agent reports: capacity and allocatable from the machine, addresses,
 * node info, the four conditions and the kubelet endpoint. Pure; a condition keeps its
 * transition and heartbeat times from the previous status while its value stays, so an
 * unchanged machine yields an equal status, which the agent does not write.
 */
public final class NodeStatusComputer {

    /** Share of free disk below which the node reports DiskPressure. */
    static final double DISK_PRESSURE_FREE = 0.10;

    private NodeStatusComputer() {
    }

    /** Inputs besides the machine. */
    public record Facts(String hostname, String internalIP, int maxPods, int kubeletPort, String runtimeVersion,
                        String kubeletVersion, boolean runtimeUp, long memoryPressureBytes) {
    }

    public static NodeStatus compute(MachineInfo machine, Facts facts, NodeStatus previous, Instant now) {
        Map<String, Quantity> capacity = new LinkedHashMap<>();
        capacity.put("cpu", new Quantity(String.valueOf(machine.cpus())));
        capacity.put("ephemeral-storage", new Quantity(machine.diskBytes() / 1024 + "Ki"));
        capacity.put("hugepages-1Gi", new Quantity("0"));
        capacity.put("hugepages-2Mi", new Quantity("0"));
        capacity.put("memory", new Quantity(machine.memoryBytes() / 1024 + "Ki"));
        capacity.put("pods", new Quantity(String.valueOf(facts.maxPods())));
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();

        boolean memoryPressure = machine.memoryAvailableBytes() > 0 && machine.memoryAvailableBytes() < facts.memoryPressureBytes();
        boolean diskPressure = machine.diskBytes() > 0 && (double) machine.diskFreeBytes() / machine.diskBytes() < DISK_PRESSURE_FREE;
        List<NodeCondition> conditions = new ArrayList<>();
        conditions.add(condition(previous, "MemoryPressure", memoryPressure,
                memoryPressure ? "KubeletHasInsufficientMemory" : "KubeletHasSufficientMemory",
                memoryPressure ? "kubelet has insufficient memory available" : "kubelet has sufficient memory available", time));
        conditions.add(condition(previous, "DiskPressure", diskPressure,
                diskPressure ? "KubeletHasDiskPressure" : "KubeletHasNoDiskPressure",
                diskPressure ? "kubelet has disk pressure" : "kubelet has no disk pressure", time));
        conditions.add(condition(previous, "PIDPressure", false, "KubeletHasSufficientPID",
                "kubelet has sufficient PID available", time));
        conditions.add(condition(previous, "Ready", facts.runtimeUp(),
                facts.runtimeUp() ? "KubeletReady" : "KubeletNotReady",
                facts.runtimeUp() ? "kubelet is posting ready status" : "container runtime is down", time));

        return new NodeStatusBuilder()
                .withCapacity(capacity)
                .withAllocatable(new LinkedHashMap<>(capacity))
                .withConditions(conditions)
                .withAddresses(new NodeAddress(facts.internalIP(), "InternalIP"), new NodeAddress(facts.hostname(), "Hostname"))
                .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(facts.kubeletPort()).endKubeletEndpoint().endDaemonEndpoints()
                .withNewNodeInfo()
                .withArchitecture(machine.architecture())
                .withOperatingSystem("linux")
                .withKernelVersion(machine.kernelVersion())
                .withOsImage(machine.osImage())
                .withContainerRuntimeVersion(facts.runtimeVersion())
                .withKubeletVersion(facts.kubeletVersion())
                .withKubeProxyVersion("")
                .withMachineID(machine.machineId())
                .withSystemUUID(machine.machineId())
                .withBootID(machine.bootId())
                .endNodeInfo()
                .build();
    }

    private static NodeCondition condition(NodeStatus previous, String type, boolean value, String reason, String message, String now) {
        String status = value ? "True" : "False";
        String transition = now;
        String heartbeat = now;
        if (previous != null && previous.getConditions() != null) {
            for (NodeCondition c : previous.getConditions()) {
                if (type.equals(c.getType()) && status.equals(c.getStatus()) && reason.equals(c.getReason())) {
                    if (c.getLastTransitionTime() != null) transition = c.getLastTransitionTime();
                    if (c.getLastHeartbeatTime() != null) heartbeat = c.getLastHeartbeatTime();
                }
            }
        }
        return new NodeConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastTransitionTime(transition).withLastHeartbeatTime(heartbeat).build();
    }

    /**
     * Capacity rounded for comparison: memory and disk move by a few KiB all the time; a change
     * below 1% is not a change worth a write.
     */
    public static boolean sameEnough(NodeStatus a, NodeStatus b) {
        if (a == null || b == null) return false;
        NodeStatus x = new NodeStatusBuilder(a).withCapacity(round(a.getCapacity())).withAllocatable(round(a.getAllocatable())).build();
        NodeStatus y = new NodeStatusBuilder(b).withCapacity(round(b.getCapacity())).withAllocatable(round(b.getAllocatable())).build();
        return x.equals(y);
    }

    private static Map<String, Quantity> round(Map<String, Quantity> values) {
        if (values == null) return null;
        Map<String, Quantity> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            var amount = Quantity.getAmountInBytes(v);
            int digits = amount.precision() - amount.scale();
            out.put(k, new Quantity(amount.round(new java.math.MathContext(Math.max(1, Math.min(2, digits)))).toPlainString()));
        });
        return out;
    }
}
