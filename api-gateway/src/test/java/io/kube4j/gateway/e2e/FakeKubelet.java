package io.kube4j.gateway.e2e;

import io.kube4j.machinery.stream.WebSocketFrames;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A stand-in for a node agent's kubelet paths on a loopback port, speaking raw HTTP/1.1 so that
 * what the gateway sends is seen byte for byte:
 * <ul>
 *   <li>{@code /containerLogs/{ns}/{pod}/{container}}: "hello from {container}" per line; with
 *       {@code follow=true} a first line, then a second one once {@link #releaseFollow()} is
 *       called; pod {@code waiting} is refused with the kubelet's 400.</li>
 *   <li>{@code /exec/…} with a WebSocket upgrade: accepts {@code v5.channel.k8s.io}, writes
 *       "ran: {command}" on the stdout channel (1) (with {@code stdin}: echoes channel 0 on channel 1
 *       until the client closes stdin) and a Success Status on the status channel (3),
 *       then closes.</li>
 * </ul>
 */
final class FakeKubelet implements AutoCloseable {

    /** One request as it arrived. */
    record Request(String method, String target, Map<String, List<String>> headers) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase());
            return values == null ? null : String.join(", ", values);
        }
    }

    private final ServerSocket server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch followReleased = new CountDownLatch(1);

    FakeKubelet() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("fake-kubelet").start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    void releaseFollow() {
        followReleased.countDown();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> {
                    try (socket) {
                        serve(socket);
                    } catch (IOException | InterruptedException ignored) {
                        // the gateway went away
                    }
                });
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) throws IOException, InterruptedException {
        InputStream in = new BufferedInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        Request request = readRequest(in);
        requests.add(request);
        String path = request.target().split("\\?")[0];
        Map<String, List<String>> query = query(request.target());
        String[] segments = path.split("/");
        if (path.startsWith("/containerLogs/") && segments.length == 5) {
            String pod = segments[3];
            String container = segments[4];
            if (pod.equals("waiting")) {
                respond(out, 400, "container \"" + container + "\" in pod \"waiting\" is waiting to start: ContainerCreating");
                return;
            }
            if (query.containsKey("follow")) {
                out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.write(("line 1 from " + container + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                followReleased.await();
                out.write(("line 2 from " + container + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                return;
            }
            respond(out, 200, "hello from " + container + "\nsecond line\n");
            return;
        }
        if (path.startsWith("/exec/streams/legacy/")) {
            // An agent without WebSocket support: kubectl falls back to SPDY, which this one refuses too.
            respond(out, 400, "websocket".equalsIgnoreCase(request.header("upgrade"))
                    ? "WebSocket is not served here" : "SPDY is not served here either");
            return;
        }
        if (path.startsWith("/exec/") && "websocket".equalsIgnoreCase(request.header("upgrade"))) {
            exec(request, query, in, out);
            return;
        }
        if (path.equals("/healthz")) {
            respond(out, 200, "ok");
            return;
        }
        respond(out, 404, "404 page not found");
    }

    private static void exec(Request request, Map<String, List<String>> query, InputStream in, OutputStream out)
            throws IOException {
        String offered = request.header("sec-websocket-protocol");
        if (offered == null || !List.of(offered.split("\\s*,\\s*")).contains("v5.channel.k8s.io")) {
            respond(out, 400, "only v5.channel.k8s.io here");
            return;
        }
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + WebSocketFrames.acceptKey(request.header("sec-websocket-key")) + "\r\n"
                + "Sec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        String command = String.join(" ", query.getOrDefault("command", List.of()));
        if (query.containsKey("stdin")) {
            // Echo stdin (channel 0) on stdout until the client's v5 close signal for stdin (255, 0).
            out.flush();
            while (true) {
                WebSocketFrames.Frame frame = WebSocketFrames.read(in, 1 << 20);
                if (frame.opcode() == WebSocketFrames.CLOSE) return;
                byte[] message = frame.payload();
                if (message.length == 0) continue;
                if ((message[0] & 0xff) == 255 && message.length > 1 && message[1] == 0) break;
                if (message[0] == 0) {
                    message[0] = 1;
                    WebSocketFrames.write(out, WebSocketFrames.BINARY, message, false);
                    out.flush();
                }
            }
        } else {
            WebSocketFrames.write(out, WebSocketFrames.BINARY, channel(1, "ran: " + command + "\n"), false);
        }
        WebSocketFrames.write(out, WebSocketFrames.BINARY, channel(3, "{\"metadata\":{},\"status\":\"Success\"}"), false);
        WebSocketFrames.writeClose(out, WebSocketFrames.NORMAL_CLOSURE, "", false);
        out.flush();
        // Wait for the client's close (or its end of stream) before closing the connection.
        try {
            while (WebSocketFrames.read(in, 1 << 20).opcode() != WebSocketFrames.CLOSE) {
                // stdin or resize messages: this command reads none
            }
        } catch (IOException closed) {
            // the client closed without a close frame
        }
    }

    private static byte[] channel(int channel, String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] message = new byte[body.length + 1];
        message[0] = (byte) channel;
        System.arraycopy(body, 0, message, 1, body.length);
        return message;
    }

    private static void respond(OutputStream out, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                + bytes.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }

    private static Request readRequest(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (int b; ; ) {
            b = in.read();
            if (b < 0) throw new IOException("closed before the head ended");
            if (b == '\n') {
                if (line.isEmpty()) break;
                lines.add(line.toString());
                line.setLength(0);
            } else if (b != '\r') {
                line.append((char) b);
            }
        }
        String[] requestLine = lines.getFirst().split(" ");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String h : lines.subList(1, lines.size())) {
            int colon = h.indexOf(':');
            headers.computeIfAbsent(h.substring(0, colon).trim().toLowerCase(), k -> new ArrayList<>())
                    .add(h.substring(colon + 1).trim());
        }
        return new Request(requestLine[0], requestLine[1], headers);
    }

    static Map<String, List<String>> query(String target) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        int q = target.indexOf('?');
        if (q < 0) return query;
        for (String pair : target.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return query;
    }

    @Override
    public void close() throws IOException {
        followReleased.countDown();
        server.close();
    }
}
