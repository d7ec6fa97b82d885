package io.kube4j.node.eviction;

import io.kube4j.machinery.quantity.Quantity;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which pod the node evicts when it runs short of memory, as the kubelet decides: when
 * {@code memory.available} (capacity less the working set) falls below the hard threshold, one pod
 * per round goes, chosen in QoS order — BestEffort first, then Burstable, Guaranteed last — and,
 * within a class, the pod whose working set exceeds its memory request by the most. Pure functions;
 * the caller kills the chosen pod and reports it {@code Failed} with reason {@code Evicted} and
 * {@link Decision#message()}.
 */
public final class MemoryEviction {

    /** The pod status reason of an evicted pod. */
    public static final String REASON = "Evicted";

    private MemoryEviction() {
    }

    /** The kubelet's QoS classes, in the order they are evicted. */
    public enum QosClass {
        BEST_EFFORT("BestEffort"), BURSTABLE("Burstable"), GUARANTEED("Guaranteed");

        private final String statusValue;

        QosClass(String statusValue) {
            this.statusValue = statusValue;
        }

        /** The class from {@code status.qosClass}; Guaranteed when unknown (never evicted before the others). */
        public static QosClass of(String statusValue) {
            for (QosClass c : values()) if (c.statusValue.equals(statusValue)) return c;
            return GUARANTEED;
        }
    }

    /** One container's working set and memory request in bytes (0 when it requests none). */
    public record ContainerMemory(String name, long workingSetBytes, long requestBytes) {
    }

    /** A running pod as eviction sees it. */
    public record PodMemory(String namespace, String name, QosClass qos, List<ContainerMemory> containers) {
        public PodMemory {
            containers = List.copyOf(containers);
        }

        long usage() {
            return containers.stream().mapToLong(ContainerMemory::workingSetBytes).sum();
        }

        long overRequest() {
            return usage() - containers.stream().mapToLong(ContainerMemory::requestBytes).sum();
        }
    }

    /** The node's memory now. */
    public record NodeMemory(long capacityBytes, long workingSetBytes) {
        long available() {
            return capacityBytes - workingSetBytes;
        }
    }

    /** The pod to evict and the message its status carries. */
    public record Decision(PodMemory pod, String message) {
    }

    /** Whether the node is under memory pressure: {@code memory.available} below {@code thresholdBytes}. */
    public static boolean underPressure(NodeMemory node, long thresholdBytes) {
        return node.available() < thresholdBytes;
    }

    /** The pod to evict now, or empty when the node is not under pressure or runs no pod. */
    public static Optional<Decision> decide(NodeMemory node, long thresholdBytes, List<PodMemory> pods) {
        if (!underPressure(node, thresholdBytes) || pods.isEmpty()) return Optional.empty();
        PodMemory victim = pods.stream().min(Comparator
                .comparing(PodMemory::qos)
                .thenComparing(Comparator.comparingLong(PodMemory::overRequest).reversed())
                .thenComparing(PodMemory::namespace)
                .thenComparing(PodMemory::name)).orElseThrow();
        return Optional.of(new Decision(victim, message(node, thresholdBytes, victim)));
    }

    /** The kubelet's message: the threshold, what was available, and each container's use against its request. */
    static String message(NodeMemory node, long thresholdBytes, PodMemory pod) {
        StringBuilder m = new StringBuilder("The node was low on resource: memory. Threshold quantity: ")
                .append(quantity(thresholdBytes)).append(", available: ").append(kib(node.available())).append(". ");
        ContainerMemory largest = pod.containers().stream()
                .max(Comparator.comparingLong(c -> c.workingSetBytes() - c.requestBytes())).orElse(null);
        for (ContainerMemory c : pod.containers()) {
            m.append("Container ").append(c.name()).append(" was using ").append(kib(c.workingSetBytes()))
                    .append(", request is ").append(quantity(c.requestBytes()));
            if (c == largest && c.workingSetBytes() > c.requestBytes()) m.append(", has larger consumption of memory");
            m.append(". ");
        }
        return m.toString().strip();
    }

    private static String quantity(long bytes) {
        return Quantity.ofBytes(bytes, Quantity.Format.BINARY_SI).toString();
    }

    private static String kib(long bytes) {
        return Quantity.of(BigDecimal.valueOf(Math.max(0, bytes) / 1024 * 1024), Quantity.Format.BINARY_SI).toString();
    }
}
