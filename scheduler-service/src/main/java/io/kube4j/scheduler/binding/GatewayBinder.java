package io.kube4j.scheduler.binding;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.kube4j.machinery.client.GatewayClients;
import io.kube4j.machinery.object.Json;
import io.kube4j.scheduler.framework.BindPlugin;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.Status;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * kube-scheduler's {@code DefaultBinder}: {@code POST /api/v1/namespaces/{ns}/pods/{name}/binding} on the
 * gateway with a Binding to the node, its {@code metadata.uid} the pod's, so a pod deleted and created again
 * under the same name is not bound by mistake. The gateway refuses a pod already bound (409), which also stops
 * a second scheduler from binding a pod twice.
 *
 * <p>Blocking; thread-safe (one shared HTTP client). Any non-2xx answer is an error status with the gateway's
 * message, and the scheduler then forgets the assumption and retries the pod.
 */
public final class GatewayBinder implements BindPlugin {

    public static final String NAME = "DefaultBinder";

    private final KubernetesClient client;

    public GatewayBinder(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The Binding object posted for a pod. */
    static ObjectNode binding(PodInfo pod, String nodeName) {
        ObjectNode b = Json.object();
        b.put("apiVersion", "v1");
        b.put("kind", "Binding");
        ObjectNode meta = b.putObject("metadata");
        meta.put("name", pod.name());
        meta.put("namespace", pod.namespace());
        if (pod.uid() != null) meta.put("uid", pod.uid());
        ObjectNode target = b.putObject("target");
        target.put("apiVersion", "v1");
        target.put("kind", "Node");
        target.put("name", nodeName);
        return b;
    }

    @Override
    public Status bind(CycleState state, PodInfo pod, String nodeName) {
        String url = GatewayClients.url(client, "/api/v1/namespaces/" + enc(pod.namespace()) + "/pods/" + enc(pod.name()) + "/binding");
        HttpRequest request = client.getHttpClient().newHttpRequestBuilder()
                .uri(url)
                .post("application/json", Json.write(binding(pod, nodeName)))
                .timeout(30, TimeUnit.SECONDS)
                .build();
        try {
            HttpResponse<String> response = client.getHttpClient().sendAsync(request, String.class).get(35, TimeUnit.SECONDS);
            if (response.code() / 100 == 2) return Status.SUCCESS;
            return Status.error(message(response.code(), response.body()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Status.error("interrupted while binding");
        } catch (Exception e) {
            return Status.error("binding failed: " + e.getMessage());
        }
    }

    private static String message(int code, String body) {
        try {
            JsonNode status = Json.MAPPER.readTree(body);
            String m = status.path("message").asString("");
            if (!m.isEmpty()) return m;
        } catch (RuntimeException ignored) {
            // not a Status: fall through to the code
        }
        return "the gateway answered " + code;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
