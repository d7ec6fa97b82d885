package io.kube4j.bench;

import io.kube4j.machinery.ephemeral.EphemeralKeys;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The node agent's heartbeat for Node objects no agent runs: every {@code interval} it writes
 * {@link EphemeralKeys#heartbeat} of each node into Redis, as a node agent does, so that the node
 * lifecycle controller keeps them Ready for as long as the bench runs.
 *
 * <p>Speaks Redis' wire protocol (RESP) over one socket, all nodes' {@code SET … EX} in one
 * pipelined batch, so the bench needs no Redis client library. A failed beat is reported and
 * retried at the next interval on a fresh connection. Threading: one scheduler thread of its own.
 */
final class HollowHeartbeats implements AutoCloseable {

    private final String host;
    private final int port;
    private final List<String> nodes;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("hollow-heartbeats").factory());
    private Socket socket;
    private InputStream replies;

    /** {@code address} is {@code host:port}. */
    HollowHeartbeats(String address, List<String> nodes) {
        int colon = address.lastIndexOf(':');
        this.host = colon < 0 ? address : address.substring(0, colon);
        this.port = colon < 0 ? 6379 : Integer.parseInt(address.substring(colon + 1));
        this.nodes = List.copyOf(nodes);
    }

    /** Beats once now (failing if Redis does not answer), then every {@code intervalSeconds} in the background. */
    HollowHeartbeats start(int intervalSeconds) throws IOException {
        beat();
        timer.scheduleWithFixedDelay(() -> {
            try {
                beat();
            } catch (IOException | RuntimeException e) {
                System.err.println("heartbeats of the bench's nodes not written: " + e);
                closeSocket();
            }
        }, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
        return this;
    }

    private synchronized void beat() throws IOException {
        if (socket == null) {
            socket = new Socket();
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(5_000);
            replies = new BufferedInputStream(socket.getInputStream());
        }
        String now = Long.toString(System.currentTimeMillis());
        String ttl = Integer.toString(EphemeralKeys.HEARTBEAT_TTL_SECONDS);
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        for (String node : nodes) {
            command(batch, "SET", EphemeralKeys.heartbeat(node), now, "EX", ttl);
        }
        OutputStream out = socket.getOutputStream();
        out.write(batch.toByteArray());
        out.flush();
        for (int i = 0; i < nodes.size(); i++) {
            String reply = line(replies);
            if (!reply.startsWith("+")) throw new IOException("Redis refused a heartbeat: " + reply);
        }
    }

    /** One command as a RESP array of bulk strings. */
    static void command(ByteArrayOutputStream out, String... words) {
        StringBuilder s = new StringBuilder().append('*').append(words.length).append("\r\n");
        for (String w : words) {
            byte[] bytes = w.getBytes(StandardCharsets.UTF_8);
            s.append('$').append(bytes.length).append("\r\n").append(w).append("\r\n");
        }
        out.writeBytes(s.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                in.read();
                return s.toString();
            }
            s.append((char) c);
        }
        throw new IOException("Redis closed the connection");
    }

    private synchronized void closeSocket() {
        try {
            if (socket != null) socket.close();
        } catch (IOException ignored) {
            // a broken connection is replaced at the next beat
        }
        socket = null;
        replies = null;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        closeSocket();
    }
}
