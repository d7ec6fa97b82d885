package io.kube4j.node.stream;

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
 * The client's connection once switched to the protocol the runtime's streaming server accepted:
 * bytes are copied both ways until either side ends. The servlet container creates it (hence the
 * public no-argument constructor); {@link #attach} hands it the runtime's connection before the
 * servlet returns. One virtual thread per direction.
 */
public final class RelayUpgradeHandler implements HttpUpgradeHandler {

    private static final Logger log = LoggerFactory.getLogger(RelayUpgradeHandler.class);

    private volatile HttpUpgrade.Switched backend;
    private volatile String description = "";

    public RelayUpgradeHandler() {
    }

    void attach(HttpUpgrade.Switched backend, String description) {
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
        Thread.ofVirtual().name("stream " + description).start(() -> {
            IOException failure = Tunnel.splice(clientEnd(connection, clientIn), Tunnel.of(switched.socket(), switched.in()));
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

    static Tunnel.End clientEnd(WebConnection connection, InputStream in) {
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
                // A servlet connection cannot be half-closed; the relay closes it when the runtime ends.
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
