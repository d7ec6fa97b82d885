package io.kube4j.gateway.http;

import io.kube4j.machinery.stream.servlet.UpgradedInput;
import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.stream.WebSocketFrames;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * Watches over WebSocket, as kube-apiserver serves them to clients that ask with
 * {@code Upgrade: websocket}: after the handshake every watch event is one text message (the
 * event's JSON and a newline, the bytes a plain watch writes per line); when the watch ends the
 * server sends a normal close. The server answers pings and the client's close; messages the
 * client sends are ignored.
 *
 * <p>Subprotocols: a client may offer any; the first one offered is accepted, except
 * {@code base64url.bearer.authorization.k8s.io.*}, which carries a token rather than naming a
 * protocol (kube-apiserver reads it for authentication and never echoes it).
 */
final class WatchSocket {

    static final String BEARER_PROTOCOL_PREFIX = "base64url.bearer.authorization.k8s.io.";
    private static final int MAX_CLIENT_FRAME = 64 * 1024;

    private WatchSocket() {
    }

    /** What the 101 answer carries. */
    record Handshake(String accept, String protocol) {
    }

    /** Writes a watch's events to the sink until the watch ends. */
    interface Pump {
        void pump(WatchStreamer.EventSink sink) throws IOException;
    }

    /**
     * The handshake of a WebSocket watch request, or null when the request is a plain one; a
     * WebSocket request that cannot be accepted is a 400.
     */
    static Handshake handshake(HttpServletRequest request) {
        String upgrade = request.getHeader("Upgrade");
        if (upgrade == null || !upgrade.strip().equalsIgnoreCase("websocket")) return null;
        if (!request.getMethod().equals("GET")) {
            throw ApiException.badRequest("a WebSocket watch must be a GET request");
        }
        String version = request.getHeader("Sec-WebSocket-Version");
        if (version == null || !version.strip().equals("13")) {
            throw ApiException.badRequest("unsupported WebSocket version " + version + ": only 13 is served");
        }
        String key = request.getHeader("Sec-WebSocket-Key");
        if (!validKey(key)) throw ApiException.badRequest("missing or malformed Sec-WebSocket-Key");
        return new Handshake(WebSocketFrames.acceptKey(key),
                chooseProtocol(Collections.list(request.getHeaders("Sec-WebSocket-Protocol"))));
    }

    private static boolean validKey(String key) {
        if (key == null) return false;
        try {
            return Base64.getDecoder().decode(key.strip()).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The subprotocol to accept from the offered header values, or null for none. Pure. */
    static String chooseProtocol(List<String> offered) {
        List<String> protocols = new ArrayList<>();
        for (String value : offered) {
            for (String p : value.split(",")) {
                if (!p.isBlank()) protocols.add(p.strip());
            }
        }
        return protocols.stream().filter(p -> !p.startsWith(BEARER_PROTOCOL_PREFIX)).findFirst().orElse(null);
    }

    /** Answers 101 and hands the connection to a handler that runs {@code pump} once the container switched it. */
    static void upgrade(HttpServletRequest request, HttpServletResponse response, Handshake handshake, Pump pump)
            throws IOException {
        response.setHeader("Upgrade", "websocket");
        response.setHeader("Connection", "Upgrade");
        response.setHeader("Sec-WebSocket-Accept", handshake.accept());
        if (handshake.protocol() != null) response.setHeader("Sec-WebSocket-Protocol", handshake.protocol());
        try {
            request.upgrade(Handler.class).pump = pump;
        } catch (ServletException e) {
            throw new IOException("cannot switch the connection to WebSocket", e);
        }
    }

    /**
     * The switched connection: one virtual thread writes the watch's messages, another reads the
     * client's frames (close, ping). Created by the servlet container.
     */
    public static final class Handler implements HttpUpgradeHandler {

        private volatile Pump pump;
        private final Object writeLock = new Object();
        private boolean closeSent;

        public Handler() {
        }

        @Override
        public void init(WebConnection connection) {
            Pump watch = pump;
            InputStream in;
            try {
                in = UpgradedInput.attach(connection);
            } catch (IOException e) {
                closeQuietly(connection);
                return;
            }
            Thread writer = Thread.ofVirtual().name("watch-websocket").unstarted(() -> write(connection, watch));
            Thread.ofVirtual().name("watch-websocket-reader").start(() -> read(connection, in, writer));
            writer.start();
        }

        private void write(WebConnection connection, Pump watch) {
            try {
                OutputStream out = connection.getOutputStream();
                watch.pump(new WatchStreamer.EventSink() {
                    @Override
                    public void send(byte[] event) throws IOException {
                        byte[] message = new byte[event.length + 1];
                        System.arraycopy(event, 0, message, 0, event.length);
                        message[event.length] = '\n';
                        synchronized (writeLock) {
                            if (closeSent) throw new IOException("closed");
                            WebSocketFrames.write(out, WebSocketFrames.TEXT, message, false);
                        }
                    }

                    @Override
                    public void flush() throws IOException {
                        synchronized (writeLock) {
                            out.flush();
                        }
                    }
                });
                sendClose(out, WebSocketFrames.NORMAL_CLOSURE);
            } catch (IOException | RuntimeException e) {
                // the client went away or the watch failed: the connection ends either way
            } finally {
                closeQuietly(connection);
            }
        }

        private void read(WebConnection connection, InputStream in, Thread writer) {
            try {
                OutputStream out = connection.getOutputStream();
                while (true) {
                    WebSocketFrames.Frame frame = WebSocketFrames.read(in, MAX_CLIENT_FRAME);
                    switch (frame.opcode()) {
                        case WebSocketFrames.CLOSE -> {
                            sendClose(out, WebSocketFrames.NORMAL_CLOSURE);
                            return;
                        }
                        case WebSocketFrames.PING -> {
                            synchronized (writeLock) {
                                if (closeSent) return;
                                WebSocketFrames.write(out, WebSocketFrames.PONG, frame.payload(), false);
                                out.flush();
                            }
                        }
                        default -> {
                            // A watch reads nothing from its client.
                        }
                    }
                }
            } catch (WebSocketFrames.ProtocolException e) {
                try {
                    sendClose(connection.getOutputStream(), e.closeCode());
                } catch (IOException ignored) {
                    // closing anyway
                }
            } catch (IOException e) {
                // end of stream: the client is gone
            } finally {
                writer.interrupt();
            }
        }

        private void sendClose(OutputStream out, int code) throws IOException {
            synchronized (writeLock) {
                if (closeSent) return;
                closeSent = true;
                WebSocketFrames.writeClose(out, code, "", false);
                out.flush();
            }
        }

        private static void closeQuietly(WebConnection connection) {
            try {
                connection.close();
            } catch (Exception ignored) {
                // already closed
            }
        }

        @Override
        public void destroy() {
            // The threads end with the connection.
        }
    }
}
