package io.kube4j.machinery.stream;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * The client half of an HTTP/1.1 protocol upgrade (RFC 9110 §7.8) over a plain TCP connection:
 * write the request head, read the response head, and hand back either the switched connection
 * or the backend's refusal. What the upgraded protocol is (WebSocket, SPDY/3.1, …) does not matter
 * here; the caller copies the request's upgrade headers and the caller's peers negotiate.
 *
 * <p>Thread-safety: the static methods are; an {@link Outcome} belongs to one caller.
 */
public final class HttpUpgrade {

    /** A refusal's body beyond this many bytes is dropped: it only becomes an error message. */
    public static final int MAX_REFUSAL_BODY = 64 * 1024;

    private HttpUpgrade() {
    }

    /** What the backend answered. */
    public sealed interface Outcome {
        ResponseHead head();
    }

    /**
     * The backend switched protocols (101). The caller owns the socket and must close it.
     *
     * @param in the connection's input, positioned just after the response head (it may buffer)
     */
    public record Switched(ResponseHead head, Socket socket, InputStream in) implements Outcome, AutoCloseable {
        public OutputStream out() throws IOException {
            return socket.getOutputStream();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** The backend answered without switching; the connection is already closed. */
    public record Refused(ResponseHead head, byte[] body) implements Outcome {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * Connects, sends {@code request} and reads the answer's head (and, for a refusal, its body).
     *
     * @param connectTimeout how long the TCP connect may take
     * @param answerTimeout  how long the backend may take to answer the head; the returned switched
     *                       socket has no read timeout
     * @throws IOException when the backend cannot be reached or does not answer in HTTP/1.x
     */
    public static Outcome exchange(InetSocketAddress backend, RequestHead request, Duration connectTimeout,
                                   Duration answerTimeout) throws IOException {
        Socket socket = new Socket();
        boolean handedOver = false;
        try {
            socket.setTcpNoDelay(true);
            socket.connect(backend, (int) connectTimeout.toMillis());
            socket.setSoTimeout((int) answerTimeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request.encode());
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            ResponseHead head = ResponseHead.read(in);
            if (head.status() == 101) {
                socket.setSoTimeout(0);
                handedOver = true;
                return new Switched(head, socket, in);
            }
            return new Refused(head, readBody(head, in));
        } finally {
            if (!handedOver) socket.close();
        }
    }

    /** A refusal's body: by Content-Length, chunked, or up to the end of the connection; capped. */
    static byte[] readBody(ResponseHead head, InputStream in) throws IOException {
        if (head.status() == 204 || head.status() == 304 || head.status() < 200) return new byte[0];
        String encoding = head.first("Transfer-Encoding").orElse("").toLowerCase(Locale.ROOT);
        if (encoding.contains("chunked")) return readChunked(in);
        String length = head.first("Content-Length").orElse(null);
        if (length != null) {
            long n;
            try {
                n = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw new IOException("malformed Content-Length: " + length);
            }
            return in.readNBytes((int) Math.min(n, MAX_REFUSAL_BODY));
        }
        return in.readNBytes(MAX_REFUSAL_BODY);
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (body.size() < MAX_REFUSAL_BODY) {
            String sizeLine = readLine(in);
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim();
            int size;
            try {
                size = Integer.parseInt(hex, 16);
            } catch (NumberFormatException e) {
                throw new IOException("malformed chunk size: " + hex);
            }
            if (size == 0) break;
            byte[] chunk = in.readNBytes(Math.min(size, MAX_REFUSAL_BODY - body.size()));
            body.write(chunk);
            if (chunk.length < size) break;
            readLine(in);
        }
        return body.toByteArray();
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            if (b != '\r') line.append((char) b);
            if (line.length() > 1024) throw new IOException("chunk line too long");
        }
        return line.toString();
    }
}
