package io.kube4j.scheduler.events;

import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.kube4j.machinery.client.GatewayClients;
import io.kube4j.machinery.object.Json;
import io.kube4j.scheduler.framework.PodInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

/**
 * Sets a pending pod's {@code PodScheduled} condition to {@code False} with reason {@code Unschedulable} and the
 * FailedScheduling summary, as kube-scheduler does, through a strategic merge patch of {@code pods/{name}/status}
 * (conditions merge by type). Nothing is written when the pod already carries the same condition, so a pod
 * retried many times costs one write.
 *
 * <p>Asynchronous and best effort: a failed patch is logged, and the next failure writes again.
 */
public final class PodConditions {

    private static final Logger log = LoggerFactory.getLogger(PodConditions.class);

    private final KubernetesClient client;

    public PodConditions(KubernetesClient client) {
        this.client = client;
    }

    /** Whether the pod already says this. */
    static boolean alreadySays(PodInfo pod, String reason, String message) {
        var status = pod.pod().getStatus();
        if (status == null || status.getConditions() == null) return false;
        for (PodCondition c : status.getConditions()) {
            if ("PodScheduled".equals(c.getType())) {
                return "False".equals(c.getStatus()) && reason.equals(c.getReason()) && message.equals(c.getMessage());
            }
        }
        return false;
    }

    /** The patch body. */
    static ObjectNode patch(String reason, String message, Instant now) {
        ObjectNode body = Json.object();
        ObjectNode condition = body.putObject("status").putArray("conditions").addObject();
        condition.put("type", "PodScheduled");
        condition.put("status", "False");
        condition.putNull("lastProbeTime");
        condition.put("lastTransitionTime", now.truncatedTo(ChronoUnit.SECONDS).toString());
        condition.put("reason", reason);
        condition.put("message", message);
        return body;
    }

    public void unschedulable(PodInfo pod, String message) {
        if (alreadySays(pod, "Unschedulable", message)) return;
        String url = GatewayClients.url(client, "/api/v1/namespaces/" + URLEncoder.encode(pod.namespace(), StandardCharsets.UTF_8)
                + "/pods/" + URLEncoder.encode(pod.name(), StandardCharsets.UTF_8) + "/status");
        HttpRequest request = client.getHttpClient().newHttpRequestBuilder()
                .uri(url)
                .method("PATCH", "application/strategic-merge-patch+json",
                        Json.writeString(patch("Unschedulable", message, Instant.now())))
                .timeout(30, TimeUnit.SECONDS)
                .build();
        client.getHttpClient().sendAsync(request, String.class).whenComplete((response, error) -> {
            if (error != null) {
                log.debug("setting PodScheduled=False on {} failed: {}", pod.key(), error.toString());
            } else if (response.code() / 100 != 2 && response.code() != 404) {
                log.debug("setting PodScheduled=False on {}: the gateway answered {}", pod.key(), response.code());
            }
        });
    }
}
