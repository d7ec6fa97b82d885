package io.kube4j.node.stream;

import io.kube4j.machinery.stream.servlet.TunnelUpgradeHandler;
import io.kube4j.machinery.stream.Header;
import io.kube4j.machinery.stream.HttpUpgrade;
import io.kube4j.machinery.stream.RequestHead;
import io.kube4j.machinery.stream.WebSocketFrames;
import io.kube4j.node.NodeAgent;
import io.kube4j.node.NodeAgentConfiguration.NodeAgentStarter;
import io.kube4j.node.runtime.ContainerRuntime;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
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
 * <p>The agent asks the runtime for a streaming URL (CRI {@code Exec}, {@code Attach},
 * {@code PortForward}) and connects to it with a SPDY/3.1 upgrade. A SPDY/3.1 client's request is
 * forwarded there with its own upgrade headers and, once the runtime switched protocols, the bytes
 * are relayed, so the client and the runtime negotiate the version between them. A WebSocket
 * client (kubectl 1.30+ tries it first) is answered by the agent itself: exec and attach speak
 * {@code v5.channel.k8s.io} or {@code v4.channel.k8s.io}, translated to the runtime's SPDY streams
 * ({@link ChannelBridge}); port forwarding speaks {@code SPDY/3.1+portforward.k8s.io}, SPDY carried
 * in WebSocket messages. A WebSocket client offering none of those is refused with 400, on which
 * kubectl falls back to SPDY/3.1; so is every WebSocket client when
 * {@code kube4j.node.websocket-streams} is false (it is true by default). Errors are plain-text answers with the kubelet's codes, which the
 * gateway turns into Status errors.
 */
@Controller
public class StreamingController {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    private static final Set<String> NOT_FORWARDED = Set.of("authorization", "proxy-authorization", "cookie", "host",
            "content-length", "transfer-encoding", "expect", "te", "keep-alive", "proxy-connection");

    private final NodeAgentStarter starter;
    private final boolean webSockets;

    /**
     * @param webSockets {@code kube4j.node.websocket-streams}: whether WebSocket clients are served
     *                   by the agent (true) or refused so that they fall back to SPDY/3.1 (false)
     */
    public StreamingController(NodeAgentStarter starter,
                               @Value("${kube4j.node.websocket-streams:true}") boolean webSockets) {
        this.starter = starter;
        this.webSockets = webSockets;
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
        serve(request, response, "exec " + namespace + "/" + pod + "/" + container, channels(flags),
                agent -> agent.runningContainer(namespace, pod, container),
                (runtime, id) -> runtime.exec(id, command, flags));
    }

    @RequestMapping(path = "/attach/{namespace}/{pod}/{container}", method = {RequestMethod.GET, RequestMethod.POST})
    public void attach(@PathVariable String namespace, @PathVariable String pod, @PathVariable String container,
                       HttpServletRequest request, HttpServletResponse response) throws IOException {
        ContainerRuntime.StreamFlags flags = StreamRequests.flags(request.getParameterMap());
        serve(request, response, "attach " + namespace + "/" + pod + "/" + container, channels(flags),
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
        serve(request, response, "port-forward " + namespace + "/" + pod, PORT_FORWARD_OVER_WEBSOCKET,
                agent -> agent.readySandbox(namespace, pod),
                (runtime, id) -> runtime.portForward(id, ports));
    }

    private interface Session {
        URI open(ContainerRuntime runtime, String runtimeId);
    }

    /**
     * How a WebSocket client is served: the subprotocols offered to it (by preference), the protocol
     * asked of the runtime's SPDY side, and what joins the two once both switched.
     */
    private record WebSocketPlan(List<String> protocols, String runtimeProtocol,
                                 Function<String, WebSocketSessionHandler.Session> session) {
    }

    private static final WebSocketPlan PORT_FORWARD_OVER_WEBSOCKET = new WebSocketPlan(
            List.of("SPDY/3.1+portforward.k8s.io"), "portforward.k8s.io", protocol -> WebSocketSessionHandler::tunnel);

    private static WebSocketPlan channels(ContainerRuntime.StreamFlags flags) {
        return new WebSocketPlan(ChannelBridge.PROTOCOLS, ChannelBridge.RUNTIME_PROTOCOL,
                protocol -> new ChannelBridge(flags, protocol)::run);
    }

    private void serve(HttpServletRequest request, HttpServletResponse response, String description, WebSocketPlan plan,
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
        String webSocketProtocol = null;
        String webSocketAccept = null;
        if (StreamRequests.isWebSocket(upgrade) && !webSockets) {
            text(response, 400, "this node serves streams over SPDY/3.1 (kube4j.node.websocket-streams=false)");
            return;
        }
        if (StreamRequests.isWebSocket(upgrade)) {
            String key = request.getHeader("Sec-WebSocket-Key");
            if (key == null || key.isBlank() || !"13".equals(request.getHeader("Sec-WebSocket-Version"))) {
                text(response, 400, "a WebSocket upgrade needs Sec-WebSocket-Key and Sec-WebSocket-Version 13");
                return;
            }
            webSocketProtocol = StreamRequests.choose(plan.protocols(), Collections.list(request.getHeaders("Sec-WebSocket-Protocol")));
            if (webSocketProtocol == null) {
                text(response, 400, "none of the offered WebSocket protocols is served; served: " + plan.protocols());
                return;
            }
            webSocketAccept = WebSocketFrames.acceptKey(key.trim());
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
        if (webSocketProtocol == null) {
            relay(url, request, response, description);
        } else {
            bridge(url, request, response, description, webSocketProtocol, webSocketAccept, plan);
        }
    }

    /** A WebSocket client: a SPDY/3.1 session with the runtime, joined by the plan's session. */
    private static void bridge(URI url, HttpServletRequest request, HttpServletResponse response, String description,
                               String protocol, String accept, WebSocketPlan plan) throws IOException {
        int port = url.getPort() > 0 ? url.getPort() : 80;
        List<Header> headers = List.of(new Header("Host", url.getHost() + ":" + port),
                new Header("Connection", "Upgrade"), new Header("Upgrade", "SPDY/3.1"),
                new Header("X-Stream-Protocol-Version", plan.runtimeProtocol()));
        String target = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        HttpUpgrade.Outcome outcome;
        try {
            outcome = HttpUpgrade.exchange(new InetSocketAddress(url.getHost(), port),
                    new RequestHead("POST", target, headers), CONNECT_TIMEOUT, ANSWER_TIMEOUT);
        } catch (IOException e) {
            text(response, 500, "cannot reach the runtime's streaming server: " + e.getMessage());
            return;
        }
        switch (outcome) {
            case HttpUpgrade.Refused refused -> text(response, refused.head().status(), refused.bodyText());
            case HttpUpgrade.Switched switched -> {
                try {
                    response.setHeader("Upgrade", "websocket");
                    response.setHeader("Connection", "Upgrade");
                    response.setHeader("Sec-WebSocket-Accept", accept);
                    response.setHeader("Sec-WebSocket-Protocol", protocol);
                    request.upgrade(WebSocketSessionHandler.class).attach(switched, plan.session().apply(protocol), description);
                } catch (IOException | ServletException | RuntimeException e) {
                    switched.close();
                    throw new IOException("cannot switch the client's connection: " + e.getMessage(), e);
                }
            }
        }
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
                    request.upgrade(TunnelUpgradeHandler.class).attach(switched, description);
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
