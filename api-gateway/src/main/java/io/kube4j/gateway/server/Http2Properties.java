package io.kube4j.gateway.server;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How the gateway serves HTTP/2 (h2 over TLS, chosen by ALPN; h2c by upgrade on plain HTTP).
 * HTTP/1.1 is always served next to it: exec, attach and port forwarding upgrade HTTP/1.1
 * connections to SPDY or WebSocket.
 *
 * @param enabled              whether HTTP/2 is offered at all
 * @param maxConcurrentStreams how many streams one connection may have open at once; every open
 *                             watch holds one, and a client multiplexes all its watches over a
 *                             single connection, so this bounds one client's watches (kube-apiserver
 *                             allows 1000)
 * @param idleTimeout          how long a connection without open streams is kept before it is closed
 */
@ConfigurationProperties("kube4j.gateway.http2")
public record Http2Properties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1000") int maxConcurrentStreams,
        @DefaultValue("120s") Duration idleTimeout) {

    public Http2Properties {
        if (maxConcurrentStreams < 1) {
            throw new IllegalArgumentException("kube4j.gateway.http2.max-concurrent-streams must be at least 1, got "
                    + maxConcurrentStreams);
        }
    }
}
