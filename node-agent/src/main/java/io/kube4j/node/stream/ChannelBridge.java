package io.kube4j.node.stream;

import io.kube4j.machinery.stream.WebSocketFrames;
import io.kube4j.node.runtime.ContainerRuntime.StreamFlags;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * Joins a client speaking the WebSocket channel protocol ({@code v5.channel.k8s.io} or
 * {@code v4.channel.k8s.io}: binary messages whose first byte is the channel — 0 stdin, 1 stdout,
 * 2 stderr, 3 error, 4 resize; in v5, channel 255 with {@code [0]} closes stdin) to the runtime's
 * streaming server speaking remotecommand {@code v4.channel.k8s.io} over SPDY/3.1, which has a
 * stream per channel. The runtime's own WebSocket support predates v5, which is the one version
 * in which a client can end stdin (what {@code kubectl exec -i … < file} and {@code kubectl cp}
 * need); translating to SPDY keeps that.
 *
 * <p>{@link #run} blocks until the runtime ends the session (it closes the connection after the
 * command's status on the error channel) or either side fails; the client's messages are read on
 * one virtual thread. Writes to each side are serialized.
 */
final class ChannelBridge {

    /** The channel protocols offered to WebSocket clients, in order of preference. */
    static final List<String> PROTOCOLS = List.of("v5.channel.k8s.io", "v4.channel.k8s.io");
    /** What the runtime's SPDY side speaks. */
    static final String RUNTIME_PROTOCOL = "v4.channel.k8s.io";

    static final int STDIN = 0;
    static final int STDOUT = 1;
    static final int STDERR = 2;
    static final int ERROR = 3;
    static final int RESIZE = 4;
    static final int CLOSE = 255;
    private static final int MAX_MESSAGE = 1024 * 1024;

    /** The SPDY stream id of each channel (0: the session has none), opened in the kubelet client's order. */
    record Streams(int error, int stdin, int stdout, int stderr, int resize) {
        static Streams of(StreamFlags flags) {
            int next = 1;
            int error = next;
            next += 2;
            int stdin = flags.stdin() ? next : 0;
            if (flags.stdin()) next += 2;
            int stdout = flags.stdout() ? next : 0;
            if (flags.stdout()) next += 2;
            boolean stderrOn = flags.stderr() && !flags.tty();
            int stderr = stderrOn ? next : 0;
            if (stderrOn) next += 2;
            int resize = flags.tty() ? next : 0;
            return new Streams(error, stdin, stdout, stderr, resize);
        }

        /** The channel whose data arrives on SPDY stream {@code id}, or -1. */
        int channelOf(int id) {
            if (id == 0) return -1;
            if (id == error) return ERROR;
            if (id == stdout) return STDOUT;
            if (id == stderr) return STDERR;
            if (id == stdin) return STDIN;
            if (id == resize) return RESIZE;
            return -1;
        }

        /** The SPDY stream the client's channel goes to, or 0. */
        int streamOf(int channel) {
            return switch (channel) {
                case STDIN -> stdin;
                case RESIZE -> resize;
                default -> 0;
            };
        }
    }

    private final Streams streams;
    private final boolean v5;
    private final Object clientLock = new Object();
    private final Object runtimeLock = new Object();
    private final SpdyFrames spdy = new SpdyFrames();

    ChannelBridge(StreamFlags flags, String protocol) {
        this.streams = Streams.of(flags);
        this.v5 = protocol.startsWith("v5.");
    }

    /**
     * Opens the session's streams on the runtime's switched connection, then relays until it ends.
     * Closes neither side; the caller does.
     */
    void run(InputStream clientIn, OutputStream clientOut, InputStream runtimeIn, OutputStream runtimeOut) throws IOException {
        synchronized (runtimeLock) {
            open(runtimeOut, streams.error(), "error");
            open(runtimeOut, streams.stdin(), "stdin");
            open(runtimeOut, streams.stdout(), "stdout");
            open(runtimeOut, streams.stderr(), "stderr");
            open(runtimeOut, streams.resize(), "resize");
            runtimeOut.flush();
        }
        Thread fromClient = Thread.ofVirtual().name("channel-bridge-in").start(() -> {
            try {
                pumpClient(clientIn, clientOut, runtimeOut);
            } catch (IOException e) {
                // The client went away: the caller's close of the runtime's connection ends the session.
            }
        });
        try {
            pumpRuntime(runtimeIn, runtimeOut, clientOut);
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

    private void open(OutputStream out, int id, String type) throws IOException {
        if (id != 0) spdy.writeSynStream(out, id, Map.of("streamtype", type));
    }

    /** The runtime's frames to the client's channels, until the runtime closes the session. */
    private void pumpRuntime(InputStream runtimeIn, OutputStream runtimeOut, OutputStream clientOut) throws IOException {
        while (true) {
            SpdyFrames.Frame frame;
            try {
                frame = SpdyFrames.read(runtimeIn);
            } catch (EOFException end) {
                return;
            }
            if (frame.control()) {
                if (frame.type() == SpdyFrames.PING) {
                    synchronized (runtimeLock) {
                        SpdyFrames.writePing(runtimeOut, frame.payload());
                        runtimeOut.flush();
                    }
                }
                continue;
            }
            int channel = streams.channelOf(frame.streamId());
            if (channel < 0 || frame.payload().length == 0) continue;
            byte[] message = new byte[frame.payload().length + 1];
            message[0] = (byte) channel;
            System.arraycopy(frame.payload(), 0, message, 1, frame.payload().length);
            synchronized (clientLock) {
                WebSocketFrames.write(clientOut, WebSocketFrames.BINARY, message, false);
                clientOut.flush();
            }
        }
    }

    /** The client's messages to the runtime's streams, until the client closes. */
    private void pumpClient(InputStream clientIn, OutputStream clientOut, OutputStream runtimeOut) throws IOException {
        ByteArrayOutputStream fragments = null;
        while (true) {
            WebSocketFrames.Frame frame = WebSocketFrames.read(clientIn, MAX_MESSAGE);
            switch (frame.opcode()) {
                case WebSocketFrames.PING -> {
                    synchronized (clientLock) {
                        WebSocketFrames.write(clientOut, WebSocketFrames.PONG, frame.payload(), false);
                        clientOut.flush();
                    }
                    continue;
                }
                case WebSocketFrames.PONG -> {
                    continue;
                }
                case WebSocketFrames.CLOSE -> {
                    return;
                }
                default -> {
                }
            }
            byte[] message;
            if (frame.opcode() == WebSocketFrames.CONTINUATION && fragments != null) {
                fragments.write(frame.payload());
                if (!frame.fin()) continue;
                message = fragments.toByteArray();
                fragments = null;
            } else if (!frame.fin()) {
                fragments = new ByteArrayOutputStream();
                fragments.write(frame.payload());
                continue;
            } else {
                message = frame.payload();
            }
            if (message.length == 0) continue;
            int channel = message[0] & 0xff;
            if (channel == CLOSE && v5) {
                if (message.length > 1 && (message[1] & 0xff) == STDIN && streams.stdin() != 0) {
                    synchronized (runtimeLock) {
                        SpdyFrames.writeData(runtimeOut, streams.stdin(), message, 0, 0, true);
                        runtimeOut.flush();
                    }
                }
                continue;
            }
            int stream = streams.streamOf(channel);
            if (stream == 0 || message.length == 1) continue;
            synchronized (runtimeLock) {
                SpdyFrames.writeData(runtimeOut, stream, message, 1, message.length - 1, false);
                runtimeOut.flush();
            }
        }
    }
}
