package io.kube4j.proxy.policy;

import io.kube4j.proxy.model.Protocol;

import java.util.List;

/**
 * One kind of traffic a policy lets through for a pod in one direction: the other side's address
 * range (a pod's address is a /32), minus {@code except}, and optionally a protocol and a port
 * range. Flattened so that a back end renders each as one rule.
 *
 * @param cidr     the peer's range, {@code 0.0.0.0/0} for any peer
 * @param except   ranges inside {@code cidr} that are not allowed (ipBlock.except), sorted
 * @param protocol the protocol, or null for every protocol (a rule without ports)
 * @param port     the first port, 0 for every port of {@code protocol}
 * @param endPort  the last port, equal to {@code port} for a single port
 */
public record Allow(String cidr, List<String> except, Protocol protocol, int port, int endPort) implements Comparable<Allow> {

    public static final String ANYWHERE = "0.0.0.0/0";

    public Allow {
        except = List.copyOf(except);
        if (protocol == null && port != 0) throw new IllegalArgumentException("a port needs a protocol");
        if (port < 0 || port > 65535 || endPort < port) throw new IllegalArgumentException("bad port range " + port + "-" + endPort);
    }

    /** By peer range (address, then prefix length), protocol (none first), ports, exceptions. */
    private static final java.util.Comparator<Allow> ORDER = java.util.Comparator
            .comparingLong((Allow a) -> io.kube4j.proxy.model.Ipv4.toLong(a.cidr.substring(0, a.cidr.indexOf('/'))))
            .thenComparingInt(a -> Integer.parseInt(a.cidr.substring(a.cidr.indexOf('/') + 1)))
            .thenComparingInt(a -> a.protocol == null ? -1 : a.protocol.ordinal())
            .thenComparingInt(Allow::port).thenComparingInt(Allow::endPort)
            .thenComparing(a -> String.join(",", a.except));

    @Override
    public int compareTo(Allow o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return cidr + (except.isEmpty() ? "" : " except " + except)
                + (protocol == null ? "" : " " + protocol.lower()) + (port == 0 ? "" : port == endPort ? ":" + port : ":" + port + "-" + endPort);
    }
}
