package io.kube4j.node.metrics;

import io.kube4j.machinery.ephemeral.EphemeralKeys;
import io.kube4j.machinery.object.Json;
import io.kube4j.machinery.quantity.Quantity;
import io.kube4j.node.runtime.ContainerRuntime.ContainerUsage;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns two samples of cumulative CPU time and current memory into the metrics documents of
 * {@link EphemeralKeys}: CPU as the rate between the samples (cores, written in nano- or
 * milli-cores), memory as the working set of the newer sample. Pure functions.
 *
 * <p>A container is reported only when it runs now and was sampled before in the same instance
 * (same container id, CPU time not gone backwards); a pod only when at least one of its containers
 * is reported. The node is reported when both of its samples exist.
 */
public final class UsageReport {

    private UsageReport() {
    }

    /** The node's cumulative CPU time (all cores) and current memory working set at one moment. */
    public record NodeSample(Instant at, long cpuNanos, long memoryWorkingSetBytes) {
    }

    /**
     * The Redis key → JSON value of every document to write.
     *
     * @param node        the node's name
     * @param nodeBefore  the node's previous sample, or null
     * @param nodeNow     the node's sample now, or null when the node is not measured
     * @param before      the previous container samples by container id
     * @param now         the container samples now
     * @param running     the ids of the containers that run now
     */
    public static Map<String, String> documents(String node, NodeSample nodeBefore, NodeSample nodeNow,
                                                Map<String, ContainerUsage> before, Collection<ContainerUsage> now,
                                                Set<String> running) {
        Map<String, String> documents = new LinkedHashMap<>();
        if (nodeBefore != null && nodeNow != null) {
            Long cores = nanoCores(nodeBefore.at(), nodeBefore.cpuNanos(), nodeNow.at(), nodeNow.cpuNanos());
            if (cores != null) {
                ObjectNode doc = sample(nodeNow.at(), Duration.between(nodeBefore.at(), nodeNow.at()));
                doc.set("usage", usage(cores, nodeNow.memoryWorkingSetBytes()));
                documents.put(EphemeralKeys.nodeMetrics(node), doc.toString());
            }
        }
        Map<String, List<ContainerUsage>> byPod = new TreeMap<>();
        for (ContainerUsage c : now) {
            if (!running.contains(c.containerId()) || c.podName().isEmpty() || c.podNamespace().isEmpty()) continue;
            byPod.computeIfAbsent(c.podNamespace() + "/" + c.podName(), k -> new java.util.ArrayList<>()).add(c);
        }
        byPod.forEach((key, containers) -> {
            ObjectNode doc = null;
            ArrayNode list = null;
            for (ContainerUsage c : containers.stream().sorted(java.util.Comparator.comparing(ContainerUsage::containerName)).toList()) {
                ContainerUsage previous = before.get(c.containerId());
                if (previous == null) continue;
                Long cores = nanoCores(previous.timestamp(), previous.cpuUsageCoreNanos(), c.timestamp(), c.cpuUsageCoreNanos());
                if (cores == null) continue;
                if (doc == null) {
                    doc = sample(c.timestamp(), Duration.between(previous.timestamp(), c.timestamp()));
                    list = doc.putArray("containers");
                }
                ObjectNode entry = list.addObject();
                entry.put("name", c.containerName());
                entry.set("usage", usage(cores, c.memoryWorkingSetBytes()));
            }
            if (doc != null) {
                String[] nsName = key.split("/", 2);
                documents.put(EphemeralKeys.podMetrics(nsName[0], nsName[1]), doc.toString());
            }
        });
        return documents;
    }

    /** CPU cores used between two samples, in nano-cores; null when time did not advance or CPU time went back. */
    static Long nanoCores(Instant t0, long cpu0, Instant t1, long cpu1) {
        long elapsed = Duration.between(t0, t1).toNanos();
        if (elapsed <= 0 || cpu1 < cpu0) return null;
        return BigDecimal.valueOf(cpu1 - cpu0).multiply(BigDecimal.valueOf(1_000_000_000L))
                .divide(BigDecimal.valueOf(elapsed), 0, java.math.RoundingMode.HALF_UP).longValueExact();
    }

    private static ObjectNode sample(Instant at, Duration window) {
        ObjectNode doc = Json.MAPPER.createObjectNode();
        doc.put("timestamp", at.truncatedTo(ChronoUnit.SECONDS).toString());
        doc.put("window", Math.max(1, Math.round(window.toMillis() / 1000.0)) + "s");
        return doc;
    }

    private static ObjectNode usage(long nanoCores, long memoryBytes) {
        ObjectNode usage = Json.MAPPER.createObjectNode();
        usage.put("cpu", Quantity.of(BigDecimal.valueOf(nanoCores, 9), Quantity.Format.DECIMAL_SI).toString());
        // Whole kibibytes, as metrics-server reports memory.
        usage.put("memory", Quantity.ofBytes(memoryBytes / 1024 * 1024, Quantity.Format.BINARY_SI).toString());
        return usage;
    }
}
