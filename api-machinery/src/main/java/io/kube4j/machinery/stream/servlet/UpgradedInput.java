package io.kube4j.machinery.stream.servlet;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.WebConnection;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A blocking {@link InputStream} over the input of an upgraded servlet connection. The container
 * delivers an upgraded connection's bytes reliably only to a {@link ReadListener} (a thread that
 * blocks in {@code read()} on it is not woken when data arrives), so the listener hands each chunk
 * to a small bounded queue that one consumer thread reads; when the queue is full the listener
 * waits, which holds back a client that sends faster than the other side takes.
 *
 * <p>Must be attached from {@code HttpUpgradeHandler#init}; read by one thread. The connection's
 * output is left in blocking mode (no write listener).
 */
public final class UpgradedInput extends InputStream {

    private static final byte[] END = new byte[0];
    private static final int CHUNK = 16 * 1024;

    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(16);
    private volatile IOException failure;
    private byte[] current;
    private int position;
    private boolean ended;

    private UpgradedInput() {
    }

    /** Starts receiving the connection's bytes. */
    public static UpgradedInput attach(WebConnection connection) throws IOException {
        UpgradedInput input = new UpgradedInput();
        ServletInputStream in = connection.getInputStream();
        in.setReadListener(new ReadListener() {
            @Override
            public void onDataAvailable() throws IOException {
                byte[] buffer = new byte[CHUNK];
                while (in.isReady()) {
                    int n = in.read(buffer);
                    if (n < 0) {
                        input.offer(END);
                        return;
                    }
                    if (n > 0) {
                        byte[] chunk = new byte[n];
                        System.arraycopy(buffer, 0, chunk, 0, n);
                        input.offer(chunk);
                    }
                }
            }

            @Override
            public void onAllDataRead() {
                input.offer(END);
            }

            @Override
            public void onError(Throwable t) {
                input.failure = t instanceof IOException io ? io : new IOException(t);
                input.offer(END);
            }
        });
        return input;
    }

    private void offer(byte[] chunk) {
        try {
            chunks.put(chunk);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean fill() throws IOException {
        if (ended) return false;
        while (current == null || position >= current.length) {
            byte[] next;
            try {
                next = chunks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading the client's connection");
            }
            if (next == END) {
                ended = true;
                if (failure != null) throw failure;
                return false;
            }
            current = next;
            position = 0;
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        if (!fill()) return -1;
        return current[position++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (!fill()) return -1;
        int n = Math.min(len, current.length - position);
        System.arraycopy(current, position, b, off, n);
        position += n;
        return n;
    }
}
