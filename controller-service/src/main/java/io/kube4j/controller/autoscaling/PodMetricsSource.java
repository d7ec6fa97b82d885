package io.kube4j.controller.autoscaling;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.machinery.object.Json;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;

/**
 * The pods' resource usage the autoscaler reads: metrics.k8s.io PodMetrics, which the gateway
 * serves from what the node agents report. Thread-safe; a failure to read is an exception (the
 * autoscaler records it in the HPA's conditions and tries again on its next pass).
 */
@FunctionalInterface
public interface PodMetricsSource {

    /** One pod's usage summed over its containers: CPU in millicores, memory in bytes, sampled at {@code timestamp} over {@code window}. */
    record Sample(long cpuMillis, long memoryBytes, Instant timestamp, Duration window) {

        /** The usage of {@code resource} ({@code cpu} in millicores, {@code memory} in bytes). */
        public long usage(String resource) {
            return "cpu".equals(resource) ? cpuMillis : memoryBytes;
        }
    }

    /** The samples of the pods in {@code namespace} that {@code labelSelector} (the scale's selector string) selects, by pod name. */
    Map<String, Sample> pods(String namespace, String labelSelector);

    /** Through the gateway's {@code /apis/metrics.k8s.io/v1beta1/namespaces/{namespace}/pods}. */
    static PodMetricsSource gateway(KubernetesClient client) {
        return (namespace, selector) -> {
            String path = "apis/metrics.k8s.io/v1beta1/namespaces/" + namespace + "/pods"
                    + (selector == null || selector.isEmpty() ? "" : "?labelSelector=" + URLEncoder.encode(selector, StandardCharsets.UTF_8));
            String body = client.raw(URI.create(client.getMasterUrl().toString()).resolve(path).toString());
            return body == null ? Map.of() : parse(body);
        };
    }

    /** The samples of a PodMetricsList document. */
    static Map<String, Sample> parse(String body) {
        Map<String, Sample> samples = new HashMap<>();
        for (JsonNode item : Json.MAPPER.readTree(body).path("items")) {
            long cpu = 0, memory = 0;
            for (JsonNode container : item.path("containers")) {
                JsonNode usage = container.path("usage");
                if (usage.path("cpu").isString()) cpu += Quantity.getAmountInBytes(new Quantity(usage.get("cpu").asString())).movePointRight(3).longValue();
                if (usage.path("memory").isString()) memory += Quantity.getAmountInBytes(new Quantity(usage.get("memory").asString())).longValue();
            }
            Instant timestamp = Instant.EPOCH;
            try {
                if (item.path("timestamp").isString()) timestamp = Instant.parse(item.get("timestamp").asString());
            } catch (DateTimeParseException ignored) {
                // an unreadable time counts as long ago
            }
            Duration window = Duration.ofSeconds(30);
            if (item.path("window").isString()) {
                try {
                    window = Duration.parse("PT" + item.get("window").asString().toUpperCase());
                } catch (DateTimeParseException ignored) {
                    // kube's default window
                }
            }
            samples.put(item.path("metadata").path("name").asString(), new Sample(cpu, memory, timestamp, window));
        }
        return samples;
    }
}
