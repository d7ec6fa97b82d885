package io.kube4j.proxy.model;

/**
 * One port of one Service, the unit every back end programs: {@code namespace/name:port/protocol}
 * ({@code port} is the port's name, empty for a Service's single unnamed port).
 */
public record ServicePortName(String namespace, String name, String port, Protocol protocol)
        implements Comparable<ServicePortName> {

    public ServicePortName {
        port = port == null ? "" : port;
    }

    @Override
    public int compareTo(ServicePortName o) {
        int c = namespace.compareTo(o.namespace);
        if (c == 0) c = name.compareTo(o.name);
        if (c == 0) c = port.compareTo(o.port);
        if (c == 0) c = protocol.compareTo(o.protocol);
        return c;
    }

    @Override
    public String toString() {
        return namespace + "/" + name + ":" + port + "/" + protocol.lower();
    }
}
