package io.kube4j.machinery.stream.servlet;

import io.kube4j.machinery.stream.HttpUpgrade;
import io.kube4j.machinery.stream.Tunnel;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The client's connection after the servlet container switched it to the protocol the backend
 * accepted: its bytes are relayed to and from the backend's switched connection until either side
 * ends. The container creates it (hence the public no-argument constructor);
 * {@link #attach(HttpUpgrade.Switched)} gives it the backend before the servlet returns.
 *
 * <p>The client's bytes arrive through {@link UpgradedInput}; its output is written in blocking
 * mode: one virtual thread per direction.
 */
public final class TunnelUpgradeHandler implements HttpUpgradeHandler {

    private static final Logger log = LoggerFactory.getLogger(TunnelUpgradeHandler.class);

    private volatile HttpUpgrade.Switched backend;
    private volatile String description = "";

    public TunnelUpgradeHandler() {
    }

    public void attach(HttpUpgrade.Switched backend, String description) {
        this.backend = backend;
        this.description = description;
    }

    @Override
    public void init(WebConnection connection) {
        HttpUpgrade.Switched switched = backend;
        InputStream clientIn;
        try {
            clientIn = UpgradedInput.attach(connection);
        } catch (IOException e) {
            destroy();
            return;
        }
        Thread.ofVirtual().name("tunnel " + description).start(() -> {
            IOException failure = Tunnel.splice(clientEnd(connection, clientIn),
                    Tunnel.of(switched.socket(), switched.in()));
            if (failure != null) log.debug("stream {} ended with {}", description, failure.toString());
        });
    }

    @Override
    public void destroy() {
        HttpUpgrade.Switched switched = backend;
        if (switched == null) return;
        try {
            switched.close();
        } catch (IOException ignored) {
            // already closed by the relay
        }
    }

    public static Tunnel.End clientEnd(WebConnection connection, InputStream in) {
        return new Tunnel.End() {
            @Override
            public InputStream in() {
                return in;
            }

            @Override
            public OutputStream out() throws IOException {
                return connection.getOutputStream();
            }

            @Override
            public void shutdownOutput() {
                // A servlet connection cannot be half-closed; the relay closes it when the backend ends.
                close();
            }

            @Override
            public void close() {
                try {
                    connection.close();
                } catch (Exception ignored) {
                    // the client is gone already
                }
            }
        };
    }
}
