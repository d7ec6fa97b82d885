package io.kube4j.gateway.kubelet;

import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.object.KubeObject;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a node's agent serves the kubelet's HTTP paths: the address of the Node (its
 * {@code InternalIP}, else its {@code Hostname}, else its {@code ExternalIP}) and the port it
 * advertises in {@code status.daemonEndpoints.kubeletEndpoint.Port}, 10250 when it advertises none
 * (kube-apiserver's default {@code --kubelet-port}). Plain HTTP.
 */
public record KubeletEndpoint(String host, int port) {

    /** kube-apiserver's default kubelet port, for nodes that do not advertise one. */
    public static final int DEFAULT_PORT = 10250;

    private static final List<String> PREFERRED_ADDRESS_TYPES = List.of("InternalIP", "Hostname", "ExternalIP");

    /** The endpoint of a stored Node; 503 when the node has no address of a usable type. */
    public static KubeletEndpoint of(ObjectNode node) {
        JsonNode addresses = node.path("status").path("addresses");
        for (String type : PREFERRED_ADDRESS_TYPES) {
            for (JsonNode address : addresses) {
                String value = address.path("address").asString("");
                if (type.equals(address.path("type").asString("")) && !value.isEmpty()) {
                    return new KubeletEndpoint(value, port(node));
                }
            }
        }
        List<String> known = new ArrayList<>();
        addresses.forEach(a -> known.add("{" + a.path("type").asString("") + " " + a.path("address").asString("") + "}"));
        throw ApiException.serviceUnavailable("no preferred addresses found for node " + KubeObject.name(node)
                + "; known addresses: [" + String.join(" ", known) + "]");
    }

    private static int port(ObjectNode node) {
        int port = node.path("status").path("daemonEndpoints").path("kubeletEndpoint").path("Port").asInt(0);
        return port > 0 && port <= 65535 ? port : DEFAULT_PORT;
    }

    /** {@code host:port}, with an IPv6 literal in brackets: the Host header and the URL authority. */
    public String authority() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(host, port);
    }
}
