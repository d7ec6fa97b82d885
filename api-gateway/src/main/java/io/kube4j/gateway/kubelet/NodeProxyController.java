package io.kube4j.gateway.kubelet;

import io.kube4j.gateway.http.ApiResponses;
import io.kube4j.gateway.storage.ResourceStorage;
import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.registry.BuiltInTypes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;

/**
 * {@code nodes/proxy}: {@code /api/v1/nodes/{name}/proxy/{path}} is relayed to
 * {@code /{path}} on the node's agent, with the method, query, headers (never the client's
 * credentials) and body; the agent's answer is streamed back. Upgrade requests are relayed as
 * {@link UpgradeRelay} relays them.
 */
@RestController
public class NodeProxyController {

    private static final String PREFIX = "/api/v1/nodes/";
    /** Headers the JDK client sets itself or refuses, and hop-by-hop headers of either side. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");

    private final ResourceStorage storage;
    private final Duration connectTimeout;
    private final Duration answerTimeout;
    private final HttpClient http;

    public NodeProxyController(ResourceStorage storage, io.kube4j.gateway.config.GatewayProperties properties) {
        this.storage = storage;
        this.connectTimeout = properties.kubeletConnectTimeout();
        this.answerTimeout = properties.kubeletAnswerTimeout();
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @RequestMapping(path = {"/api/v1/nodes/{name}/proxy", "/api/v1/nodes/{name}/proxy/**"})
    public void proxy(@PathVariable String name, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        try {
            ObjectNode node = storage.find(BuiltInTypes.NODE, null, name)
                    .orElseThrow(() -> ApiException.notFound("", "nodes", name));
            KubeletEndpoint endpoint = KubeletEndpoint.of(node);
            String target = target(request.getRequestURI(), request.getQueryString());
            if (request.getHeader("Upgrade") != null) {
                UpgradeRelay.relay(endpoint, request.getMethod(), target, request, response, connectTimeout, answerTimeout);
            } else {
                forward(endpoint, target, request, response);
            }
        } catch (ApiException e) {
            ApiResponses.writeStatus(response, e);
        }
    }

    /** The agent's request target: what follows {@code /proxy} in the (still encoded) path, and the query. */
    static String target(String requestUri, String query) {
        String afterNodes = requestUri.substring(PREFIX.length());
        int slash = afterNodes.indexOf('/');
        String tail = afterNodes.substring(slash + "/proxy".length());
        String path = tail.isEmpty() ? "/" : tail;
        return query == null || query.isEmpty() ? path : path + "?" + query;
    }

    private void forward(KubeletEndpoint endpoint, String target, HttpServletRequest request,
                         HttpServletResponse response) throws IOException {
        boolean hasBody = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
        HttpRequest.Builder out = HttpRequest.newBuilder(URI.create("http://" + endpoint.authority() + target))
                .method(request.getMethod(), hasBody
                        ? HttpRequest.BodyPublishers.ofInputStream(() -> inputOf(request))
                        : HttpRequest.BodyPublishers.noBody());
        for (String header : Collections.list(request.getHeaderNames())) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(lower) || UpgradeRelay.NOT_FORWARDED.contains(lower)) continue;
            for (String value : Collections.list(request.getHeaders(header))) out.header(header, value);
        }
        HttpResponse<InputStream> answer;
        try {
            answer = http.send(out.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw KubeletErrors.unreachable(endpoint, e);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("cannot proxy this request: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.serviceUnavailable("interrupted while connecting to the node");
        }
        try (InputStream body = answer.body()) {
            response.setStatus(answer.statusCode());
            answer.headers().map().forEach((header, values) -> {
                if (HOP_BY_HOP.contains(header.toLowerCase(Locale.ROOT)) || header.startsWith(":")) return;
                values.forEach(v -> response.addHeader(header, v));
            });
            OutputStream client = response.getOutputStream();
            byte[] buffer = new byte[16 * 1024];
            for (int n; (n = body.read(buffer)) >= 0; ) {
                client.write(buffer, 0, n);
                client.flush();
            }
        }
    }

    private static InputStream inputOf(HttpServletRequest request) {
        try {
            return request.getInputStream();
        } catch (IOException e) {
            return InputStream.nullInputStream();
        }
    }
}
