package io.kube4j.proxy.dns;

import java.util.List;
import java.util.Set;

/**
 * The address this node's kube-dns EndpointSlice names: where pods on every node send this node's
 * share of the cluster's DNS queries. A pure function, asked again at every sync, since the node's
 * addresses change: the launcher's first node, for one, is reached by other nodes at its address
 * on their bridge, which exists only while there are other nodes.
 */
public final class DnsEndpointAddress {

    private DnsEndpointAddress() {
    }

    /**
     * The configured address when there is one; else the first of {@code nodeAddresses} that is not a
     * loopback one and is an address of this machine now ({@code localAddresses}), which pods of other
     * nodes reach; else 127.0.0.1 when it is one of the node's addresses (pods of this node reach it,
     * those of other nodes reach their own node's server there); else the first address that is not a
     * loopback one, which this agent may see as foreign when it runs in a network namespace of its own.
     */
    public static String choose(String configured, List<String> nodeAddresses, Set<String> localAddresses) {
        if (configured != null && !configured.isBlank()) return configured;
        for (String a : nodeAddresses) {
            if (!a.startsWith("127.") && localAddresses.contains(a)) return a;
        }
        if (nodeAddresses.stream().anyMatch(a -> a.startsWith("127."))) return "127.0.0.1";
        return nodeAddresses.stream().filter(a -> !a.startsWith("127.")).findFirst().orElse("127.0.0.1");
    }
}
