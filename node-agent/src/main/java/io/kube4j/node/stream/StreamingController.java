package io.kube4j.node.stream;

import io.kube4j.machinery.stream.Header;
import io.kube4j.machinery.stream.HttpUpgrade;
import io.kube4j.machinery.stream.RequestHead;
import io.kube4j.node.NodeAgent;
import io.kube4j.node.NodeAgentConfiguration.NodeAgentStarter;
import io.kube4j.node.runtime.ContainerRuntime;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * The kubelet's streaming paths: {@code /exec/{namespace}/{pod}/{container}?command=…},
 * {@code /attach/{namespace}/{pod}/{container}} and {@code /portForward/{namespace}/{pod}?port=…},
 * each an HTTP/1.1 upgrade request (GET or POST).
 *
 * <p>For a SPDY/3.1 upgrade the agent asks the runtime for a streaming URL and forwards the
 * client's request there with its upgrade headers; when the runtime's streaming server switches
 * protocols, the agent answers 101 with its headers and relays the bytes, so the client and the
 * runtime negotiate the protocol version ({@code v4.channel.k8s.io}, {@code portforward.k8s.io})
 * between them. A WebSocket upgrade is refused with 400 before the runtime is asked: the runtime's
 * WebSocket protocols predate {@code v5.channel.k8s.io} (no way to close stdin), and kubectl falls
 * back to SPDY/3.1 on a refused WebSocket upgrade. Errors are plain-text answers with the
 * kubelet's codes, which the gateway turns into Status errors.
 */
@Controller
public class StreamingController {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    private static final Set<String> NOT_FORWARDED = Set.of("authorization", "proxy-authorization", "cookie", "host",
            "content-length", "transfer-encoding", "expect", "te", "keep-alive", "proxy-connection");

    private final NodeAgentStarter starter;

    public StreamingController(NodeAgentStarter starter) {
        this.starter = starter;
    }

    @RequestMapping(path = "/exec/{namespace}/{pod}/{container}", method = {RequestMethod.GET, RequestMethod.POST})
    public void exec(@PathVariable String namespace, @PathVariable String pod, @PathVariable String container,
                     HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<String> command = StreamRequests.command(request.getParameterMap());
        if (command.isEmpty()) {
            text(response, 400, "you must specify at least 1 command");
            return;
        }
        ContainerRuntime.StreamFlags flags = StreamRequests.flags(request.getParameterMap());
        serve(request, response, "exec " + namespace + "/" + pod + "/" + container,
                agent -> agent.runningContainer(namespace, pod, container),
                (runtime, id) -> runtime.exec(id, command, flags));
    }

    @RequestMapping(path = "/attach/{namespace}/{pod}/{container}", method = {RequestMethod.GET, RequestMethod.POST})
    public void attach(@PathVariable String namespace, @PathVariable String pod, @PathVariable String container,
                       HttpServletRequest request, HttpServletResponse response) throws IOException {
        ContainerRuntime.StreamFlags flags = StreamRequests.flags(request.getParameterMap());
        serve(request, response, "attach " + namespace + "/" + pod + "/" + container,
                agent -> agent.runningContainer(namespace, pod, container),
                (runtime, id) -> runtime.attach(id, flags));
    }

    @RequestMapping(path = "/portForward/{namespace}/{pod}", method = {RequestMethod.GET, RequestMethod.POST})
    public void portForward(@PathVariable String namespace, @PathVariable String pod,
                            HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<Integer> ports;
        try {
            ports = StreamRequests.ports(request.getParameterMap());
        } catch (IllegalArgumentException e) {
            text(response, 400, e.getMessage());
            return;
        }
        serve(request, response, "port-forward " + namespace + "/" + pod,
                agent -> agent.readySandbox(namespace, pod),
                (runtime, id) -> runtime.portForward(id, ports));
    }

    private interface Session {
        URI open(ContainerRuntime runtime, String runtimeId);
    }

    private void serve(HttpServletRequest request, HttpServletResponse response, String description,
                       Function<NodeAgent, NodeAgent.StreamTarget> target, Session session) throws IOException {
        NodeAgent agent = starter.agent();
        if (agent == null) {
            text(response, 503, "the node agent is starting");
            return;
        }
        String upgrade = request.getHeader("Upgrade");
        if (upgrade == null) {
            text(response, 400, "Upgrade request required");
            return;
        }
        if (StreamRequests.isWebSocket(upgrade)) {
            text(response, 400, "this node streams over SPDY/3.1 only");
            return;
        }
        NodeAgent.StreamTarget found = target.apply(agent);
        if (found.error() != null) {
            text(response, found.errorCode(), found.error());
            return;
        }
        URI url;
        try {
            url = session.open(agent.runtime(), found.runtimeId());
        } catch (ContainerRuntime.RuntimeError e) {
            text(response, 500, e.getMessage());
            return;
        }
        relay(url, request, response, description);
    }

    private static void relay(URI url, HttpServletRequest request, HttpServletResponse response, String description)
            throws IOException {
        int port = url.getPort() > 0 ? url.getPort() : 80;
        List<Header> headers = new ArrayList<>();
        headers.add(new Header("Host", url.getHost() + ":" + port));
        for (String name : Collections.list(request.getHeaderNames())) {
            if (NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) continue;
            for (String value : Collections.list(request.getHeaders(name))) headers.add(new Header(name, value));
        }
        String target = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        HttpUpgrade.Outcome outcome;
        try {
            outcome = HttpUpgrade.exchange(new InetSocketAddress(url.getHost(), port),
                    new RequestHead(request.getMethod(), target, headers), CONNECT_TIMEOUT, ANSWER_TIMEOUT);
        } catch (IOException e) {
            text(response, 500, "cannot reach the runtime's streaming server: " + e.getMessage());
            return;
        }
        switch (outcome) {
            case HttpUpgrade.Refused refused -> text(response, refused.head().status(), refused.bodyText());
            case HttpUpgrade.Switched switched -> {
                try {
                    for (Header h : switched.head().headers()) {
                        String lower = h.name().toLowerCase(Locale.ROOT);
                        if (lower.equals("content-length") || lower.equals("transfer-encoding")) continue;
                        response.addHeader(h.name(), h.value());
                    }
                    request.upgrade(RelayUpgradeHandler.class).attach(switched, description);
                } catch (IOException | ServletException | RuntimeException e) {
                    switched.close();
                    throw new IOException("cannot switch the client's connection: " + e.getMessage(), e);
                }
            }
        }
    }

    private static void text(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain;charset=utf-8");
        response.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
    }
}
