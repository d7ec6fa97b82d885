package io.kube4j.machinery.stream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * WebSocket framing (RFC 6455 §5) and the handshake's accept key (§4.2.2): enough for a server
 * that sends messages and answers control frames, and for tests that play either side.
 * Extensions (compression) are never negotiated, so the reserved bits must be clear.
 *
 * <p>Stateless; a stream must be written by one thread at a time.
 */
public final class WebSocketFrames {

    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    /** Close codes (§7.4.1). */
    public static final int NORMAL_CLOSURE = 1000;
    public static final int PROTOCOL_ERROR = 1002;
    public static final int MESSAGE_TOO_BIG = 1009;

    private static final String HANDSHAKE_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebSocketFrames() {
    }

    /** One frame as read, payload unmasked. */
    public record Frame(boolean fin, int opcode, byte[] payload) {
        public boolean isControl() {
            return (opcode & 0x8) != 0;
        }

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame, or 1005 (no status) when it carries none. */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
    }

    /** A frame that breaks the protocol; the reader should close with {@link #PROTOCOL_ERROR} or {@link #MESSAGE_TOO_BIG}. */
    public static final class ProtocolException extends IOException {
        private final int closeCode;

        public ProtocolException(int closeCode, String message) {
            super(message);
            this.closeCode = closeCode;
        }

        public int closeCode() {
            return closeCode;
        }
    }

    /** {@code Sec-WebSocket-Accept} for a client's {@code Sec-WebSocket-Key}. */
    public static String acceptKey(String clientKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((clientKey.trim() + HANDSHAKE_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /** A fresh {@code Sec-WebSocket-Key} for a client handshake. */
    public static String newClientKey() {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /**
     * Writes one final frame. Servers send unmasked frames; clients must mask ({@code masked}).
     * Does not flush.
     */
    public static void write(OutputStream out, int opcode, byte[] payload, boolean masked) throws IOException {
        int length = payload.length;
        byte[] head = new byte[14];
        int n = 0;
        head[n++] = (byte) (0x80 | (opcode & 0x0f));
        int maskBit = masked ? 0x80 : 0;
        if (length < 126) {
            head[n++] = (byte) (maskBit | length);
        } else if (length <= 0xffff) {
            head[n++] = (byte) (maskBit | 126);
            head[n++] = (byte) (length >>> 8);
            head[n++] = (byte) length;
        } else {
            head[n++] = (byte) (maskBit | 127);
            long l = length;
            for (int shift = 56; shift >= 0; shift -= 8) head[n++] = (byte) (l >>> shift);
        }
        if (!masked) {
            out.write(head, 0, n);
            out.write(payload);
            return;
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        System.arraycopy(mask, 0, head, n, 4);
        n += 4;
        byte[] body = new byte[length];
        for (int i = 0; i < length; i++) body[i] = (byte) (payload[i] ^ mask[i & 3]);
        out.write(head, 0, n);
        out.write(body);
    }

    /** Writes a close frame with a status code and reason (truncated to fit a control frame). */
    public static void writeClose(OutputStream out, int code, String reason, boolean masked) throws IOException {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int len = Math.min(text.length, 123);
        byte[] payload = new byte[2 + len];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, len);
        write(out, CLOSE, payload, masked);
    }

    /**
     * Reads one frame, unmasking it.
     *
     * @param maxPayload the largest payload accepted
     * @throws EOFException       when the stream ends before a frame starts or completes
     * @throws ProtocolException  for reserved bits, unknown opcodes, oversized or fragmented control frames
     */
    public static Frame read(InputStream in, int maxPayload) throws IOException {
        int b0 = in.read();
        if (b0 < 0) throw new EOFException("connection closed");
        int b1 = readByte(in);
        if ((b0 & 0x70) != 0) throw new ProtocolException(PROTOCOL_ERROR, "reserved bits set without an extension");
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0f;
        if (opcode > 0xA || (opcode > 0x2 && opcode < 0x8)) {
            throw new ProtocolException(PROTOCOL_ERROR, "unknown opcode " + opcode);
        }
        boolean masked = (b1 & 0x80) != 0;
        long length = b1 & 0x7f;
        if (length == 126) {
            length = ((long) readByte(in) << 8) | readByte(in);
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) length = (length << 8) | readByte(in);
        }
        boolean control = (opcode & 0x8) != 0;
        if (control && (length > 125 || !fin)) {
            throw new ProtocolException(PROTOCOL_ERROR, "control frames are short and unfragmented");
        }
        if (length < 0 || length > maxPayload) {
            throw new ProtocolException(MESSAGE_TOO_BIG, "frame of " + length + " bytes exceeds " + maxPayload);
        }
        byte[] mask = masked ? readFully(in, 4) : null;
        byte[] payload = readFully(in, (int) length);
        if (mask != null) for (int i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
        return new Frame(fin, opcode, payload);
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) throw new EOFException("connection closed inside a frame");
        return b;
    }

    private static byte[] readFully(InputStream in, int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) throw new EOFException("connection closed inside a frame");
        return bytes;
    }
}
