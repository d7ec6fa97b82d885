package io.kube4j.scheduler.framework;

/**
 * A host port a container asks for: its host IP ({@code 0.0.0.0} when unset), protocol ({@code TCP} when unset)
 * and port number.
 */
public record HostPort(String ip, String protocol, int port) {

    public static final String ANY_IP = "0.0.0.0";

    /** Whether two pods asking for these ports cannot share a node, as kube-scheduler's NodePorts decides. */
    public boolean conflictsWith(HostPort other) {
        if (port != other.port || !protocol.equals(other.protocol)) return false;
        return ip.equals(other.ip) || ip.equals(ANY_IP) || other.ip.equals(ANY_IP);
    }
}
