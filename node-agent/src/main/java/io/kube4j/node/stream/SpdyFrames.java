package io.kube4j.node.stream;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.Deflater;

/**
 * The client half of SPDY/3 framing, as much as the kubelet's streaming protocols need from it:
 * opening streams ({@code SYN_STREAM} with a header block), data frames with or without
 * {@code FIN}, answering {@code PING}, and reading frames. Header blocks are compressed with one
 * zlib stream per session as SPDY/3 requires; the peer's header blocks are not decoded (streams are
 * told apart by id). Not thread-safe: one writer and one reader at a time.
 */
final class SpdyFrames {

    static final int VERSION = 3;
    static final int SYN_STREAM = 1;
    static final int SYN_REPLY = 2;
    static final int RST_STREAM = 3;
    static final int PING = 6;
    static final int GOAWAY = 7;
    static final int FLAG_FIN = 0x01;
    /** Larger frames are refused: the streaming protocols send small chunks. */
    static final int MAX_FRAME = 16 * 1024 * 1024;

    private final Deflater headerCompressor = new Deflater();

    /** One frame; {@code type} is 0 for a data frame, whose {@code streamId} is then set. */
    record Frame(boolean control, int type, int flags, int streamId, byte[] payload) {
        boolean fin() {
            return (flags & FLAG_FIN) != 0;
        }
    }

    void writeSynStream(OutputStream out, int streamId, Map<String, String> headers) throws IOException {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        writeInt(block, headers.size());
        for (var h : headers.entrySet()) {
            byte[] name = h.getKey().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8);
            byte[] value = h.getValue().getBytes(StandardCharsets.UTF_8);
            writeInt(block, name.length);
            block.write(name);
            writeInt(block, value.length);
            block.write(value);
        }
        byte[] compressed = compress(block.toByteArray());
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        writeInt(payload, streamId & 0x7fffffff);
        writeInt(payload, 0);               // associated-to stream
        payload.write(0);                   // priority
        payload.write(0);                   // slot
        payload.write(compressed);
        writeControl(out, SYN_STREAM, 0, payload.toByteArray());
    }

    static void writeData(OutputStream out, int streamId, byte[] data, int offset, int length, boolean fin) throws IOException {
        byte[] head = new byte[8];
        putInt(head, 0, streamId & 0x7fffffff);
        putInt(head, 4, ((fin ? FLAG_FIN : 0) << 24) | (length & 0xffffff));
        out.write(head);
        if (length > 0) out.write(data, offset, length);
    }

    static void writePing(OutputStream out, byte[] pingPayload) throws IOException {
        writeControl(out, PING, 0, pingPayload);
    }

    static Frame read(InputStream in) throws IOException {
        byte[] head = in.readNBytes(8);
        if (head.length == 0) throw new EOFException("session closed");
        if (head.length < 8) throw new EOFException("session closed inside a frame");
        int word0 = getInt(head, 0);
        int flags = head[4] & 0xff;
        int length = getInt(head, 4) & 0xffffff;
        if (length > MAX_FRAME) throw new IOException("SPDY frame of " + length + " bytes");
        byte[] payload = in.readNBytes(length);
        if (payload.length < length) throw new EOFException("session closed inside a frame");
        boolean control = word0 < 0;
        if (control) {
            int type = word0 & 0xffff;
            int streamId = payload.length >= 4 && (type == SYN_STREAM || type == SYN_REPLY || type == RST_STREAM)
                    ? getInt(payload, 0) & 0x7fffffff : 0;
            return new Frame(true, type, flags, streamId, payload);
        }
        return new Frame(false, 0, flags, word0 & 0x7fffffff, payload);
    }

    private byte[] compress(byte[] raw) {
        headerCompressor.setInput(raw);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        int n;
        do {
            n = headerCompressor.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
            out.write(buffer, 0, n);
        } while (n == buffer.length);
        return out.toByteArray();
    }

    private static void writeControl(OutputStream out, int type, int flags, byte[] payload) throws IOException {
        byte[] head = new byte[8];
        putInt(head, 0, 0x80000000 | (VERSION << 16) | type);
        putInt(head, 4, (flags << 24) | (payload.length & 0xffffff));
        out.write(head);
        out.write(payload);
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static int getInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}
