package io.kube4j.gateway.metrics;

import io.kube4j.machinery.object.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsDocumentsTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final ObjectNode NODE = object("""
            {"metadata":{"name":"node-1","labels":{"kubernetes.io/hostname":"node-1"},"resourceVersion":"7"},"status":{}}""");
    private static final ObjectNode POD = object("""
            {"metadata":{"name":"web","namespace":"shop","labels":{"app":"web"}},"spec":{}}""");

    @Test
    void nodeMetricsCarryTheNodesNameLabelsAndTheSample() {
        ObjectNode metrics = MetricsDocuments.nodeMetrics(NODE,
                "{\"timestamp\":\"2026-11-25T09:59:50Z\",\"window\":\"15s\",\"usage\":{\"cpu\":\"250m\",\"memory\":\"1024Ki\"}}", NOW).orElseThrow();
        assertThat(metrics).isEqualTo(object("""
                {"kind":"NodeMetrics","apiVersion":"metrics.k8s.io/v1beta1",
                 "metadata":{"name":"node-1","creationTimestamp":"2026-11-25T10:00:00Z","labels":{"kubernetes.io/hostname":"node-1"}},
                 "timestamp":"2026-11-25T09:59:50Z","window":"15s","usage":{"cpu":"250m","memory":"1024Ki"}}"""));
    }

    @Test
    void podMetricsCarryThePodsLabelsAndEachContainer() {
        ObjectNode metrics = MetricsDocuments.podMetrics(POD, """
                {"timestamp":"2026-11-25T09:59:50Z","window":"15s","containers":[
                  {"name":"app","usage":{"cpu":"5m","memory":"2Mi"}},{"name":"broken"},
                  {"name":"sidecar","usage":{"cpu":"1m","memory":"1Mi"}}]}""", NOW).orElseThrow();
        assertThat(metrics).isEqualTo(object("""
                {"kind":"PodMetrics","apiVersion":"metrics.k8s.io/v1beta1",
                 "metadata":{"name":"web","namespace":"shop","creationTimestamp":"2026-11-25T10:00:00Z","labels":{"app":"web"}},
                 "timestamp":"2026-11-25T09:59:50Z","window":"15s",
                 "containers":[{"name":"app","usage":{"cpu":"5m","memory":"2Mi"}},{"name":"sidecar","usage":{"cpu":"1m","memory":"1Mi"}}]}"""));
        // The stored pod is a cached object: never changed.
        assertThat(POD.path("metadata").has("creationTimestamp")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[1,2]", "{\"timestamp\":\"x\"}", "{\"usage\":\"250m\",\"containers\":{}}"})
    void aMissingOrUnreadableSampleMeansNoMetrics(String value) {
        assertThat(MetricsDocuments.nodeMetrics(NODE, value, NOW)).isEmpty();
        assertThat(MetricsDocuments.podMetrics(POD, value, NOW)).isEmpty();
        assertThat(MetricsDocuments.nodeMetrics(NODE, null, NOW)).isEmpty();
    }

    @Test
    void listsAreMetricsServersListKinds() {
        ObjectNode list = MetricsDocuments.list("PodMetrics", List.of());
        assertThat(list).isEqualTo(object("""
                {"kind":"PodMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},"items":[]}"""));
    }

    private static ObjectNode object(String json) {
        return (ObjectNode) Json.MAPPER.readTree(json);
    }
}
