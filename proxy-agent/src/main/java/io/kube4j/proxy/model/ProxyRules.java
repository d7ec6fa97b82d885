package io.kube4j.proxy.model;

import java.util.List;

/**
 * The whole desired state of one node's service rules: every programmable Service port (sorted by
 * name) and the node addresses that NodePorts listen on. Back ends turn it into kernel rules; two
 * equal values program the same rules.
 */
public record ProxyRules(List<ServicePortRules> services, List<String> nodePortAddresses) {

    public ProxyRules {
        services = List.copyOf(services);
        nodePortAddresses = List.copyOf(nodePortAddresses);
    }

    public static ProxyRules empty() {
        return new ProxyRules(List.of(), List.of());
    }
}
