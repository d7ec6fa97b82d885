package io.kube4j.machinery.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Copies bytes both ways between two connections until both directions have ended: what a relay
 * does after an upgrade, whatever protocol its peers speak over it.
 *
 * <p>When one side stops sending (end of stream), the other side's output is half-closed where it
 * can be, so that a protocol with a half-close (SPDY, raw TCP for port forwarding) sees it; when
 * the backend's side ends or either side fails, both connections are closed. {@link #splice}
 * blocks the calling thread and copies the other direction on one virtual thread.
 */
public final class Tunnel {

    private static final int BUFFER = 16 * 1024;

    private Tunnel() {
    }

    /** One connection of the relay. */
    public interface End {
        InputStream in() throws IOException;

        OutputStream out() throws IOException;

        /** Signals the end of what this relay sends to the peer, keeping the other direction open if possible. */
        void shutdownOutput() throws IOException;

        /** Closes the connection; idempotent, never throws. */
        void close();
    }

    /** An end over a socket, reading from {@code in} (the socket's input, or a buffer in front of it). */
    public static End of(Socket socket, InputStream in) {
        return new End() {
            @Override
            public InputStream in() {
                return in;
            }

            @Override
            public OutputStream out() throws IOException {
                return socket.getOutputStream();
            }

            @Override
            public void shutdownOutput() throws IOException {
                if (!socket.isClosed() && !socket.isOutputShutdown()) socket.shutdownOutput();
            }

            @Override
            public void close() {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing: nothing left to tell the peer
                }
            }
        };
    }

    /**
     * Relays between {@code client} and {@code backend} until both directions end, then closes
     * both. Returns the first failure of either direction, or null when both ended cleanly
     * (a peer closing its connection is a clean end).
     */
    public static IOException splice(End client, End backend) {
        AtomicReference<IOException> failure = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean ending = new java.util.concurrent.atomic.AtomicBoolean();
        Thread upstream = Thread.ofVirtual().name("tunnel-upstream").start(() -> {
            try {
                copy(client.in(), backend.out());
                backend.shutdownOutput();
            } catch (IOException e) {
                // After the backend ended, the client's read fails because we closed it: not a failure.
                if (!ending.get()) failure.compareAndSet(null, e);
                // The client is gone mid-stream: the backend gets no more and may stop.
                backend.close();
            }
        });
        try {
            copy(backend.in(), client.out());
        } catch (IOException e) {
            failure.compareAndSet(null, e);
        } finally {
            ending.set(true);
            // The backend ended the session: nothing the client sends now has anywhere to go.
            client.close();
            backend.close();
        }
        try {
            upstream.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return failure.get();
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[BUFFER];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            if (n == 0) continue;
            out.write(buffer, 0, n);
            // Interactive protocols: every read is a message someone is waiting for.
            out.flush();
        }
    }
}
