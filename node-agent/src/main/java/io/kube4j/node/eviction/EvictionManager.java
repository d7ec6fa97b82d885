package io.kube4j.node.eviction;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.machinery.quantity.Quantity;
import io.kube4j.node.pod.ContainerResources;
import io.kube4j.node.pod.PodStatusComputer;
import io.kube4j.node.runtime.ContainerRuntime;
import io.kube4j.node.runtime.ContainerRuntime.ContainerUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The executor of {@link MemoryEviction}, run every {@link #PERIOD} on a real node: samples the
 * node's memory and its containers' working sets, and when {@code memory.available} is below the
 * threshold evicts the one pod {@link MemoryEviction#decide} chooses. Like the kubelet it evicts one
 * pod at a time: the next round waits until the last victim has stopped running (or
 * {@link #VICTIM_WAIT} has passed). Only pods that are not finished and not being deleted take part.
 *
 * <p>{@link #check} is called from one thread; a failure skips the round, never the agent.
 */
public final class EvictionManager {

    /** How often the kubelet's eviction manager looks. */
    public static final Duration PERIOD = Duration.ofSeconds(10);
    /** How long a round waits for the last victim to stop before choosing another. */
    static final Duration VICTIM_WAIT = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(EvictionManager.class);

    private final String node;
    private final long capacityBytes;
    private final long thresholdBytes;
    private final LongSupplier nodeWorkingSetBytes;
    private final ContainerRuntime runtime;
    private final Supplier<List<Pod>> pods;
    private final BiConsumer<Pod, String> evictor;
    private final Clock clock;
    private String lastVictim;
    private Instant lastEviction;

    /**
     * @param nodeWorkingSetBytes the node's memory in use now, or a negative value when unknown (the round is skipped)
     * @param pods                the pods bound to this node
     * @param evictor             evicts a pod with the given message (its status, then its containers)
     */
    public EvictionManager(String node, long capacityBytes, long thresholdBytes, LongSupplier nodeWorkingSetBytes,
                           ContainerRuntime runtime, Supplier<List<Pod>> pods, BiConsumer<Pod, String> evictor, Clock clock) {
        this.node = node;
        this.capacityBytes = capacityBytes;
        this.thresholdBytes = thresholdBytes;
        this.nodeWorkingSetBytes = nodeWorkingSetBytes;
        this.runtime = runtime;
        this.pods = pods;
        this.evictor = evictor;
        this.clock = clock;
    }

    /** One round: evicts at most one pod. */
    public void check() {
        try {
            long workingSet = nodeWorkingSetBytes.getAsLong();
            if (workingSet < 0) return;
            MemoryEviction.NodeMemory memory = new MemoryEviction.NodeMemory(capacityBytes, workingSet);
            if (!MemoryEviction.underPressure(memory, thresholdBytes)) return;
            if (lastVictim != null && stillRunning(lastVictim) && clock.instant().isBefore(lastEviction.plus(VICTIM_WAIT))) return;

            Map<String, Pod> byUid = new HashMap<>();
            for (Pod pod : pods.get()) {
                if (pod.getMetadata().getDeletionTimestamp() != null || terminal(pod)) continue;
                byUid.put(pod.getMetadata().getUid(), pod);
            }
            if (byUid.isEmpty()) return;
            Map<String, List<ContainerUsage>> usage = new HashMap<>();
            for (ContainerUsage c : runtime.containerStats()) usage.computeIfAbsent(c.podUid(), k -> new ArrayList<>()).add(c);
            List<MemoryEviction.PodMemory> candidates = new ArrayList<>();
            for (Pod pod : byUid.values()) candidates.add(podMemory(pod, usage.getOrDefault(pod.getMetadata().getUid(), List.of())));

            MemoryEviction.decide(memory, thresholdBytes, candidates).ifPresent(decision -> {
                Pod victim = byUid.values().stream()
                        .filter(p -> p.getMetadata().getNamespace().equals(decision.pod().namespace())
                                && p.getMetadata().getName().equals(decision.pod().name()))
                        .findFirst().orElseThrow();
                lastVictim = victim.getMetadata().getUid();
                lastEviction = clock.instant();
                evictor.accept(victim, decision.message());
            });
        } catch (RuntimeException e) {
            log.warn("eviction round of node {} failed: {}", node, e.toString());
        }
    }

    /** A pod as eviction sees it: its QoS class, and per container its working set and memory request. */
    static MemoryEviction.PodMemory podMemory(Pod pod, List<ContainerUsage> usage) {
        Map<String, Long> workingSet = new HashMap<>();
        for (ContainerUsage c : usage) workingSet.merge(c.containerName(), c.memoryWorkingSetBytes(), Long::sum);
        List<MemoryEviction.ContainerMemory> containers = new ArrayList<>();
        for (Container c : pod.getSpec().getContainers()) {
            containers.add(new MemoryEviction.ContainerMemory(c.getName(), workingSet.getOrDefault(c.getName(), 0L), memoryRequest(c)));
        }
        return new MemoryEviction.PodMemory(pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                MemoryEviction.QosClass.of(PodStatusComputer.qosClass(pod)), containers);
    }

    private static long memoryRequest(Container c) {
        io.fabric8.kubernetes.api.model.Quantity memory = ContainerResources.effectiveRequest(c, "memory");
        if (memory == null) return 0;
        return Quantity.tryParse(memory.toString()).map(Quantity::value).orElse(0L);
    }

    private static boolean terminal(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    private boolean stillRunning(String uid) {
        var status = runtime.snapshot().pod(uid);
        return status.containers().stream().anyMatch(c -> c.running());
    }
}
