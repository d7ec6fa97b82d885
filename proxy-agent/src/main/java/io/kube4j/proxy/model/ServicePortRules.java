package io.kube4j.proxy.model;

import java.util.List;

/**
 * What one Service port asks of a node, as data: the frontends traffic arrives at and the
 * backends it goes to. Every list is sorted, so two computations of the same cluster state are
 * equal and back ends can diff them.
 *
 * @param name             the Service port
 * @param clusterIP        the virtual IP
 * @param port             the Service port number, on the cluster IP and on external IPs
 * @param nodePort         the port on every node address, 0 when none
 * @param externalIPs      {@code spec.externalIPs} and the LoadBalancer's ingress IPs
 * @param endpoints        where cluster traffic goes: the ready endpoints, or the serving
 *                         terminating ones while none is ready (so a rollout drains without errors)
 * @param externalLocal    externalTrafficPolicy Local: external traffic only to this node's endpoints,
 *                         with the client's address kept
 * @param localEndpoints   this node's endpoints (by the same ready-else-terminating rule)
 * @param affinitySeconds  sessionAffinity ClientIP's timeout in seconds, 0 without affinity
 * @param otherNodeEndpoints the endpoints whose EndpointSlice places them on another node: no pod
 *                         of this node has their address, so none of them can reach itself through
 *                         this node's rules (the hairpin case); a subset of {@code endpoints}
 */
public record ServicePortRules(
        ServicePortName name,
        String clusterIP,
        int port,
        int nodePort,
        List<String> externalIPs,
        List<Backend> endpoints,
        boolean externalLocal,
        List<Backend> localEndpoints,
        int affinitySeconds,
        List<Backend> otherNodeEndpoints) {

    public ServicePortRules {
        externalIPs = List.copyOf(externalIPs);
        endpoints = List.copyOf(endpoints);
        localEndpoints = List.copyOf(localEndpoints);
        otherNodeEndpoints = List.copyOf(otherNodeEndpoints);
    }

    /** Rules that know nothing of where the endpoints run: any of them may be a pod of this node. */
    public ServicePortRules(ServicePortName name, String clusterIP, int port, int nodePort, List<String> externalIPs,
                            List<Backend> endpoints, boolean externalLocal, List<Backend> localEndpoints, int affinitySeconds) {
        this(name, clusterIP, port, nodePort, externalIPs, endpoints, externalLocal, localEndpoints, affinitySeconds, List.of());
    }

    /** Whether traffic from outside the cluster reaches this port at all (a node port or an external IP). */
    public boolean hasExternal() {
        return nodePort > 0 || !externalIPs.isEmpty();
    }

    /** The endpoints external traffic goes to under the external traffic policy. */
    public List<Backend> externalEndpoints() {
        return externalLocal ? localEndpoints : endpoints;
    }
}
