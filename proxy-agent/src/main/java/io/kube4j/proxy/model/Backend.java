package io.kube4j.proxy.model;

import java.util.Comparator;

/**
 * One endpoint a Service port balances to: an IPv4 address and the port there (the target port,
 * already resolved by the EndpointSlice's port).
 */
public record Backend(String ip, int port) implements Comparable<Backend> {

    private static final Comparator<Backend> ORDER =
            Comparator.comparingLong((Backend b) -> Ipv4.toLong(b.ip)).thenComparingInt(Backend::port);

    public Backend {
        if (!Ipv4.isValid(ip)) throw new IllegalArgumentException("not an IPv4 address: " + ip);
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    }

    @Override
    public int compareTo(Backend other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return ip + ":" + port;
    }
}
