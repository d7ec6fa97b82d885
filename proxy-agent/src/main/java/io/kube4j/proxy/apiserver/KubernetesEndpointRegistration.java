package io.kube4j.proxy.apiserver;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.proxy.model.RuleComputation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Objects;

/**
 * Makes the API reachable from this node's pods at the {@code kubernetes} Service ({@code default}, created by the
 * gateway with {@code internalTrafficPolicy: Local}): this node's EndpointSlice {@code kubernetes-<node>} names the
 * gateway at the address this node reaches it at (its kubeconfig's server, resolved), so each node sends the
 * Service's traffic to the gateway by its own way there (127.0.0.1 on the machine's own node, the bridge address
 * from the other nodes, the gateway container's address under compose). Idempotent.
 */
public final class KubernetesEndpointRegistration {

    public static final String NAMESPACE = "default";
    public static final String SERVICE = "kubernetes";
    static final String MANAGED_BY = "proxy-agent.kube4j.io";
    private static final Logger log = LoggerFactory.getLogger(KubernetesEndpointRegistration.class);

    private KubernetesEndpointRegistration() {
    }

    /** Where this node reaches the gateway. */
    public record Address(String ip, int port) {
    }

    /**
     * {@code ip:port} of {@code override} when set, else of the gateway URL {@code server} (a host name is resolved;
     * https without a port is 443).
     *
     * @throws IllegalArgumentException when the host does not resolve to an IPv4 address
     */
    public static Address address(String override, String server) {
        URI uri = URI.create(override != null && !override.isBlank() ? "https://" + override.strip() : server);
        int port = uri.getPort() > 0 ? uri.getPort() : 443;
        try {
            for (InetAddress a : InetAddress.getAllByName(uri.getHost())) {
                if (a instanceof java.net.Inet4Address) return new Address(a.getHostAddress(), port);
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve the gateway's host " + uri.getHost(), e);
        }
        throw new IllegalArgumentException("the gateway's host " + uri.getHost() + " has no IPv4 address");
    }

    public static EndpointSlice desiredSlice(String nodeName, Address address) {
        return new EndpointSliceBuilder()
                .withNewMetadata().withNamespace(NAMESPACE).withName(SERVICE + "-" + nodeName)
                .withLabels(Map.of(RuleComputation.SERVICE_NAME_LABEL, SERVICE,
                        "endpointslice.kubernetes.io/managed-by", MANAGED_BY)).endMetadata()
                .withAddressType("IPv4")
                .addNewEndpoint().withAddresses(address.ip()).withNodeName(nodeName)
                .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions().endEndpoint()
                .addNewPort().withName("https").withProtocol("TCP").withPort(address.port()).endPort()
                .build();
    }

    /**
     * This node's slice names {@code address}: nothing to do when {@code known} (the watched slices) shows it so,
     * else read, then created or updated when it names another.
     */
    public static void ensure(KubernetesClient client, String nodeName, Address address, java.util.Collection<EndpointSlice> known) {
        EndpointSlice desired = desiredSlice(nodeName, address);
        if (known.stream().anyMatch(slice -> NAMESPACE.equals(slice.getMetadata().getNamespace())
                && desired.getMetadata().getName().equals(slice.getMetadata().getName()) && sameEndpoints(slice, desired))) {
            return;
        }
        var slices = client.discovery().v1().endpointSlices().inNamespace(NAMESPACE);
        EndpointSlice current = slices.withName(desired.getMetadata().getName()).get();
        if (current == null) {
            slices.resource(desired).create();
            log.info("created the EndpointSlice {}/{} for the API at {}:{}", NAMESPACE, desired.getMetadata().getName(),
                    address.ip(), address.port());
        } else if (!sameEndpoints(current, desired)) {
            slices.withName(desired.getMetadata().getName()).edit(s -> new EndpointSliceBuilder(s)
                    .withEndpoints(desired.getEndpoints()).withPorts(desired.getPorts()).build());
            log.info("updated the EndpointSlice {}/{} to the API at {}:{}", NAMESPACE, desired.getMetadata().getName(),
                    address.ip(), address.port());
        }
    }

    private static boolean sameEndpoints(EndpointSlice a, EndpointSlice b) {
        return Objects.equals(a.getEndpoints(), b.getEndpoints()) && Objects.equals(a.getPorts(), b.getPorts());
    }
}
