package io.kube4j.gateway.kubelet;

import io.kube4j.gateway.storage.ResourceStorage;
import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.object.KubeObject;
import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.machinery.registry.ResourceType;
import io.kube4j.machinery.stream.HttpUpgrade;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * Serves a pod's {@code log}, {@code exec}, {@code attach} and {@code portforward} subresources by
 * relaying them to the agent of the pod's node, as kube-apiserver relays them to the kubelet:
 * <ul>
 *   <li>{@code log}: a GET to {@code /containerLogs/…} whose body is streamed back as it arrives
 *       ({@code follow} keeps it open until the agent or the client ends it);</li>
 *   <li>the others: the client's HTTP/1.1 upgrade request (WebSocket, e.g. {@code v5.channel.k8s.io},
 *       or SPDY/3.1) is forwarded with its upgrade headers; when the agent answers 101 the gateway
 *       answers 101 with the agent's headers and relays bytes both ways, so the protocol is
 *       negotiated between the client and the agent.</li>
 * </ul>
 * The client's credentials are never forwarded. Thread-safe; each request blocks its own (virtual)
 * thread while it is read or relayed.
 */
public final class PodStreams {

    private final ResourceStorage storage;
    private final HttpClient http;
    private final Duration connectTimeout;
    private final Duration answerTimeout;

    public PodStreams(ResourceStorage storage, Duration connectTimeout, Duration answerTimeout) {
        this.storage = storage;
        this.connectTimeout = connectTimeout;
        this.answerTimeout = answerTimeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Whether this class serves {@code subresource} of {@code type}. */
    public static boolean serves(ResourceType type, String subresource) {
        return type.equals(BuiltInTypes.POD) && subresource != null
                && (subresource.equals("log") || KubeletTargets.Kind.ofSubresource(subresource) != null);
    }

    /** Serves one request; Status errors are thrown as {@link ApiException} before anything is written. */
    public void serve(String subresource, String namespace, String name, HttpServletRequest request,
                      HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        if (subresource.equals("log")) {
            if (!method.equals("GET")) throw ApiException.methodNotSupported("", "pods/log", method.toLowerCase(Locale.ROOT));
            ObjectNode pod = storage.get(BuiltInTypes.POD, namespace, name);
            String target = KubeletTargets.logs(pod, request.getParameterMap());
            streamLogs(endpoint(pod), target, response);
            return;
        }
        KubeletTargets.Kind kind = KubeletTargets.Kind.ofSubresource(subresource);
        if (!method.equals("GET") && !method.equals("POST")) {
            throw ApiException.methodNotSupported("", "pods/" + subresource, method.toLowerCase(Locale.ROOT));
        }
        ObjectNode pod = storage.get(BuiltInTypes.POD, namespace, name);
        String target = KubeletTargets.stream(kind, pod, request.getParameterMap());
        KubeletEndpoint endpoint = endpoint(pod);
        if (request.getHeader("Upgrade") == null) throw ApiException.badRequest("Upgrade request required");
        UpgradeRelay.relay(endpoint, method, target, request, response, connectTimeout, answerTimeout);
    }

    /** The agent of the pod's node; 400 while the pod has no node, 404 when its node is gone. */
    private KubeletEndpoint endpoint(ObjectNode pod) {
        String nodeName = pod.path("spec").path("nodeName").asString("");
        if (nodeName.isEmpty()) {
            throw ApiException.badRequest("pod " + KubeObject.name(pod) + " does not have a host assigned");
        }
        ObjectNode node = storage.find(BuiltInTypes.NODE, null, nodeName)
                .orElseThrow(() -> ApiException.notFound("", "nodes", nodeName));
        return KubeletEndpoint.of(node);
    }

    private void streamLogs(KubeletEndpoint endpoint, String target, HttpServletResponse response) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + endpoint.authority() + target)).GET().build();
        HttpResponse<InputStream> answer;
        try {
            answer = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw KubeletErrors.unreachable(endpoint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.serviceUnavailable("interrupted while connecting to the node");
        }
        try (InputStream body = answer.body()) {
            if (answer.statusCode() < 200 || answer.statusCode() > 299) {
                byte[] text = body.readNBytes(HttpUpgrade.MAX_REFUSAL_BODY);
                throw KubeletErrors.fromResponse(answer.statusCode(), new String(text, StandardCharsets.UTF_8));
            }
            response.setStatus(200);
            response.setContentType("text/plain");
            ServletOutputStream out = response.getOutputStream();
            out.flush();
            byte[] buffer = new byte[16 * 1024];
            for (int n; (n = body.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                // kubectl logs -f prints as lines arrive.
                out.flush();
            }
        }
    }

}
