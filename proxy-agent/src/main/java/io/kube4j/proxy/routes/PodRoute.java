package io.kube4j.proxy.routes;

/** A route to another node's pods: its podCIDR through its InternalIP (direct routing, no encapsulation, no NAT). */
public record PodRoute(String cidr, String via) {
}
