package io.kube4j.node.metrics;

import io.kube4j.machinery.object.Json;
import io.kube4j.node.runtime.ContainerRuntime.ContainerUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class UsageReportTest {

    private static final Instant T0 = Instant.parse("2026-11-26T03:00:00Z");
    private static final Instant T15 = T0.plusSeconds(15);

    record Rate(String name, long cpu0, long cpu1, long seconds, Long nanoCores) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Rate> rates() {
        return Stream.of(
                new Rate("one core for 15 s", 0, 15_000_000_000L, 15, 1_000_000_000L),
                new Rate("a quarter core", 1_000, 1_000 + 3_750_000_000L, 15, 250_000_000L),
                new Rate("idle", 42, 42, 15, 0L),
                new Rate("cpu time went back (a new instance)", 5_000, 10, 15, null),
                new Rate("no time passed", 0, 100, 0, null));
    }

    @ParameterizedTest
    @MethodSource("rates")
    void cpuIsTheRateBetweenTwoSamples(Rate rate) {
        assertThat(UsageReport.nanoCores(T0, rate.cpu0(), T0.plusSeconds(rate.seconds()), rate.cpu1()))
                .isEqualTo(rate.nanoCores());
    }

    private static ContainerUsage usage(String id, String pod, String name, Instant at, long cpu, long memory) {
        return new ContainerUsage(id, "uid-" + pod, "default", pod, name, at, cpu, memory);
    }

    @Test
    void theNodeAndEveryRunningPodSampledTwiceGetADocument() {
        Map<String, ContainerUsage> before = Map.of(
                "a1", usage("a1", "web", "nginx", T0, 0, 0),
                "a2", usage("a2", "web", "sidecar", T0, 0, 0),
                "b1", usage("b1", "old", "app", T0, 0, 0));
        List<ContainerUsage> now = List.of(
                usage("a1", "web", "nginx", T15, 3_750_000_000L, 10 * 1024 * 1024),
                usage("a2", "web", "sidecar", T15, 15_000_000L, 1536),
                usage("b1", "old", "app", T15, 9, 9),
                usage("c1", "fresh", "app", T15, 100, 100));
        Map<String, String> docs = UsageReport.documents("n1",
                new UsageReport.NodeSample(T0, 0, 0), new UsageReport.NodeSample(T15, 30_000_000_000L, 2L << 30),
                before, now, Set.of("a1", "a2", "c1"));

        assertThat(docs).containsOnlyKeys("kube4j:metrics:node:n1", "kube4j:metrics:pod:default/web");
        JsonNode node = Json.MAPPER.readTree(docs.get("kube4j:metrics:node:n1"));
        assertThat(node.path("timestamp").asString()).isEqualTo("2026-11-26T03:00:15Z");
        assertThat(node.path("window").asString()).isEqualTo("15s");
        assertThat(node.path("usage").path("cpu").asString()).isEqualTo("2");
        assertThat(node.path("usage").path("memory").asString()).isEqualTo("2Gi");

        JsonNode web = Json.MAPPER.readTree(docs.get("kube4j:metrics:pod:default/web"));
        assertThat(web.path("containers")).hasSize(2);
        assertThat(web.path("containers").get(0).path("name").asString()).isEqualTo("nginx");
        assertThat(web.path("containers").get(0).path("usage").path("cpu").asString()).isEqualTo("250m");
        assertThat(web.path("containers").get(0).path("usage").path("memory").asString()).isEqualTo("10Mi");
        assertThat(web.path("containers").get(1).path("usage").path("cpu").asString()).isEqualTo("1m");
        assertThat(web.path("containers").get(1).path("usage").path("memory").asString()).isEqualTo("1Ki");
    }

    @Test
    void aFirstSampleWritesNothing() {
        assertThat(UsageReport.documents("n1", null, new UsageReport.NodeSample(T0, 1, 1), Map.of(),
                List.of(usage("a1", "web", "nginx", T0, 1, 1)), Set.of("a1"))).isEmpty();
    }

    @Test
    void procIsParsedIntoBusyCpuAndWorkingSet() {
        long cpu = NodeProc.cpuNanos(List.of(
                "cpu  100 5 50 1000 20 3 2 1 7 0",
                "cpu0 50 2 25 500 10 1 1 0 3 0"));
        // user+nice+system+irq+softirq+steal ticks of 10 ms; idle, iowait and guest are not counted.
        assertThat(cpu).isEqualTo((100 + 5 + 50 + 3 + 2 + 1) * 10_000_000L);
        long memory = NodeProc.workingSetBytes(List.of("MemTotal:       24000000 kB", "MemFree:  1000 kB",
                "MemAvailable:   20000000 kB"));
        assertThat(memory).isEqualTo(4_000_000L * 1024);
    }
}
