package io.kube4j.node.stream;

import io.kube4j.machinery.stream.servlet.UpgradedInput;
import io.kube4j.machinery.stream.HttpUpgrade;
import io.kube4j.machinery.stream.WebSocketFrames;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A client's connection switched to WebSocket by the agent itself, joined to the runtime's
 * SPDY/3.1 connection by a {@link Session}: the channel protocol's translation
 * ({@link ChannelBridge}) or SPDY carried in WebSocket messages (port forwarding's
 * {@code SPDY/3.1+portforward.k8s.io}). Closes both connections when the session ends.
 */
public final class WebSocketSessionHandler implements HttpUpgradeHandler {

    private static final Logger log = LoggerFactory.getLogger(WebSocketSessionHandler.class);

    /** What runs between the two connections; returns when the session is over. */
    interface Session {
        void run(InputStream clientIn, OutputStream clientOut, InputStream runtimeIn, OutputStream runtimeOut) throws IOException;
    }

    private volatile HttpUpgrade.Switched runtime;
    private volatile Session session;
    private volatile String description = "";

    public WebSocketSessionHandler() {
    }

    void attach(HttpUpgrade.Switched runtime, Session session, String description) {
        this.runtime = runtime;
        this.session = session;
        this.description = description;
    }

    @Override
    public void init(WebConnection connection) {
        HttpUpgrade.Switched switched = runtime;
        Thread.ofVirtual().name("ws " + description).start(() -> {
            try {
                InputStream clientIn = UpgradedInput.attach(connection);
                session.run(clientIn, connection.getOutputStream(), switched.in(), switched.out());
            } catch (IOException | RuntimeException e) {
                log.debug("stream {} ended with {}", description, e.toString());
            } finally {
                destroy();
                try {
                    connection.close();
                } catch (Exception ignored) {
                    // the client is gone already
                }
            }
        });
    }

    @Override
    public void destroy() {
        HttpUpgrade.Switched switched = runtime;
        if (switched == null) return;
        try {
            switched.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** SPDY bytes carried in binary WebSocket messages, both ways, until the runtime closes. */
    static void tunnel(InputStream clientIn, OutputStream clientOut, InputStream runtimeIn, OutputStream runtimeOut)
            throws IOException {
        Object clientLock = new Object();
        Thread fromClient = Thread.ofVirtual().name("ws-tunnel-in").start(() -> {
            try {
                while (true) {
                    WebSocketFrames.Frame frame = WebSocketFrames.read(clientIn, 16 * 1024 * 1024);
                    switch (frame.opcode()) {
                        case WebSocketFrames.CLOSE -> {
                            runtimeOut.close();
                            return;
                        }
                        case WebSocketFrames.PING -> {
                            synchronized (clientLock) {
                                WebSocketFrames.write(clientOut, WebSocketFrames.PONG, frame.payload(), false);
                                clientOut.flush();
                            }
                        }
                        case WebSocketFrames.PONG -> {
                        }
                        default -> {
                            runtimeOut.write(frame.payload());
                            runtimeOut.flush();
                        }
                    }
                }
            } catch (IOException e) {
                try {
                    runtimeOut.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        });
        byte[] buffer = new byte[32 * 1024];
        try {
            for (int n; (n = runtimeIn.read(buffer)) >= 0; ) {
                if (n == 0) continue;
                byte[] message = java.util.Arrays.copyOf(buffer, n);
                synchronized (clientLock) {
                    WebSocketFrames.write(clientOut, WebSocketFrames.BINARY, message, false);
                    clientOut.flush();
                }
            }
        } finally {
            try {
                synchronized (clientLock) {
                    WebSocketFrames.writeClose(clientOut, WebSocketFrames.NORMAL_CLOSURE, "", false);
                    clientOut.flush();
                }
            } catch (IOException ignored) {
                // the client is gone already
            }
            fromClient.interrupt();
        }
    }
}
