package io.kube4j.node.metrics;

import io.kube4j.node.runtime.ContainerRuntime;
import io.kube4j.node.runtime.ContainerRuntime.ContainerUsage;
import io.kube4j.node.runtime.RuntimeSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Samples the node and its containers, keeps the previous sample, and writes the usage between
 * the two. Called by one scheduler thread ({@link #collect} is not reentrant); a failing runtime
 * or {@code /proc} skips the round, never the agent.
 */
public final class MetricsCollector {

    private static final Logger log = LoggerFactory.getLogger(MetricsCollector.class);

    private final String node;
    private final ContainerRuntime runtime;
    private final MetricsSink sink;
    private final Path proc;
    private final Clock clock;
    private UsageReport.NodeSample nodeBefore;
    private Map<String, ContainerUsage> before = Map.of();

    public MetricsCollector(String node, ContainerRuntime runtime, MetricsSink sink, Path proc, Clock clock) {
        this.node = node;
        this.runtime = runtime;
        this.sink = sink;
        this.proc = proc;
        this.clock = clock;
    }

    /** One round: sample, write what two samples tell, keep this sample for the next round. */
    public void collect() {
        try {
            UsageReport.NodeSample nodeNow = NodeProc.sample(proc, clock.instant());
            List<ContainerUsage> now = runtime.containerStats();
            Set<String> running = runtime.snapshot().pods().values().stream()
                    .flatMap(p -> p.containers().stream())
                    .filter(RuntimeSnapshot.ContainerState::running)
                    .map(RuntimeSnapshot.ContainerState::id)
                    .collect(Collectors.toSet());
            sink.write(UsageReport.documents(node, nodeBefore, nodeNow, before, now, running));
            nodeBefore = nodeNow;
            Map<String, ContainerUsage> next = new HashMap<>();
            for (ContainerUsage c : now) next.put(c.containerId(), c);
            before = next;
        } catch (RuntimeException e) {
            log.warn("metrics of node {} not collected: {}", node, e.toString());
        }
    }
}
