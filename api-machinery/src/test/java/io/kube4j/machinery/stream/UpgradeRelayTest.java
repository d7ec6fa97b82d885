package io.kube4j.machinery.stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A relay built from {@link HttpUpgrade} and {@link Tunnel} between a WebSocket client and a
 * WebSocket echo server, all three speaking over real loopback sockets.
 */
class UpgradeRelayTest {

    private ServerSocket echo;
    private ServerSocket relay;
    private final List<String> backendRequestLines = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        relay = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> acceptLoop(echo, this::echo));
        Thread.ofVirtual().start(() -> acceptLoop(relay, this::relay));
    }

    @AfterEach
    void stop() throws IOException {
        echo.close();
        relay.close();
    }

    @Test
    void messagesTravelBothWaysThroughTheRelayAfterTheBackendsOwn101() throws Exception {
        try (Socket client = new Socket("127.0.0.1", relay.getLocalPort())) {
            String key = WebSocketFrames.newClientKey();
            OutputStream out = client.getOutputStream();
            out.write(("GET /echo?x=1 HTTP/1.1\r\nHost: relay\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: v5.channel.k8s.io, v4.channel.k8s.io\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = new BufferedInputStream(client.getInputStream());
            ResponseHead head = ResponseHead.read(in);
            assertThat(head.status()).isEqualTo(101);
            assertThat(head.first("Sec-WebSocket-Accept")).contains(WebSocketFrames.acceptKey(key));
            assertThat(head.first("Sec-WebSocket-Protocol")).contains("v5.channel.k8s.io");

            for (String message : List.of("one", "two", "x".repeat(70_000))) {
                WebSocketFrames.write(out, WebSocketFrames.TEXT, message.getBytes(StandardCharsets.UTF_8), true);
                out.flush();
                assertThat(WebSocketFrames.read(in, 1 << 20).text()).isEqualTo("echo: " + message);
            }
            WebSocketFrames.writeClose(out, WebSocketFrames.NORMAL_CLOSURE, "done", true);
            out.flush();
            WebSocketFrames.Frame close = WebSocketFrames.read(in, 125);
            assertThat(close.opcode()).isEqualTo(WebSocketFrames.CLOSE);
            assertThat(close.closeCode()).isEqualTo(1000);
            // The backend closed its connection after the close handshake; the relay closes the client's.
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(backendRequestLines).containsExactly("GET /echo?x=1 HTTP/1.1");
    }

    @Test
    void aRefusalComesBackWithItsStatusAndBody() throws Exception {
        HttpUpgrade.Outcome outcome = HttpUpgrade.exchange(new InetSocketAddress("127.0.0.1", echo.getLocalPort()),
                new RequestHead("GET", "/missing", List.of(new Header("Host", "x"), new Header("Upgrade", "websocket"),
                        new Header("Connection", "Upgrade"))), Duration.ofSeconds(2), Duration.ofSeconds(5));
        assertThat(outcome).isInstanceOfSatisfying(HttpUpgrade.Refused.class, refused -> {
            assertThat(refused.head().status()).isEqualTo(404);
            assertThat(refused.bodyText()).isEqualTo("no such path: /missing");
        });
    }

    @Test
    void aBackendThatIsNotListeningIsAnIoError() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpUpgrade.exchange(
                new InetSocketAddress("127.0.0.1", closedPort), new RequestHead("GET", "/", List.of()),
                Duration.ofSeconds(2), Duration.ofSeconds(2))).isInstanceOf(IOException.class);
    }

    /** The relay: read the client's head, forward it, answer with the backend's head, then splice. */
    private void relay(Socket client) throws IOException {
        InputStream in = new BufferedInputStream(client.getInputStream());
        List<String> lines = readHeadLines(in);
        String[] requestLine = lines.getFirst().split(" ");
        List<Header> headers = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            int colon = line.indexOf(':');
            String name = line.substring(0, colon).trim();
            if (name.equalsIgnoreCase("Host")) continue;
            headers.add(new Header(name, line.substring(colon + 1).trim()));
        }
        headers.addFirst(new Header("Host", "127.0.0.1:" + echo.getLocalPort()));
        HttpUpgrade.Outcome outcome = HttpUpgrade.exchange(new InetSocketAddress("127.0.0.1", echo.getLocalPort()),
                new RequestHead(requestLine[0], requestLine[1], headers), Duration.ofSeconds(2), Duration.ofSeconds(5));
        if (!(outcome instanceof HttpUpgrade.Switched switched)) {
            client.close();
            return;
        }
        StringBuilder head = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\n");
        switched.head().headers().forEach(h -> head.append(h.name()).append(": ").append(h.value()).append("\r\n"));
        head.append("\r\n");
        client.getOutputStream().write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        Tunnel.splice(Tunnel.of(client, in), Tunnel.of(switched.socket(), switched.in()));
    }

    /** A WebSocket server that answers each text message with "echo: " and the message. */
    private void echo(Socket socket) throws IOException {
        InputStream in = new BufferedInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        List<String> lines = readHeadLines(in);
        backendRequestLines.add(lines.getFirst());
        String path = lines.getFirst().split(" ")[1];
        if (!path.startsWith("/echo")) {
            byte[] body = ("no such path: " + path).getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 404 Not Found\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            socket.close();
            return;
        }
        String key = header(lines, "Sec-WebSocket-Key");
        String protocol = header(lines, "Sec-WebSocket-Protocol").split(",")[0].trim();
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + WebSocketFrames.acceptKey(key) + "\r\n"
                + "Sec-WebSocket-Protocol: " + protocol + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        while (true) {
            WebSocketFrames.Frame frame = WebSocketFrames.read(in, 1 << 20);
            if (frame.opcode() == WebSocketFrames.CLOSE) {
                WebSocketFrames.writeClose(out, frame.closeCode(), "", false);
                out.flush();
                socket.close();
                return;
            }
            WebSocketFrames.write(out, WebSocketFrames.TEXT, ("echo: " + frame.text()).getBytes(StandardCharsets.UTF_8), false);
            out.flush();
        }
    }

    private static String header(List<String> lines, String name) {
        return lines.stream().filter(l -> l.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                .map(l -> l.substring(name.length() + 1).trim()).findFirst().orElse("");
    }

    private static List<String> readHeadLines(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                if (line.isEmpty()) return lines;
                lines.add(line.toString());
                line.setLength(0);
            } else if (b != '\r') {
                line.append((char) b);
            }
        }
        throw new IOException("closed");
    }

    private interface Handler {
        void handle(Socket socket) throws IOException;
    }

    private static void acceptLoop(ServerSocket server, Handler handler) {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> {
                    try (socket) {
                        handler.handle(socket);
                    } catch (IOException ignored) {
                        // the peer went away
                    }
                });
            } catch (IOException closed) {
                return;
            }
        }
    }
}
