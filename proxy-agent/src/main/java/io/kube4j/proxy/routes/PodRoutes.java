package io.kube4j.proxy.routes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.kube4j.proxy.model.Ipv4;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The pure function from Nodes to the routes this node needs to reach every other node's pods:
 * for each other Node with an IPv4 {@code spec.podCIDR} and an InternalIP, that CIDR through that
 * address. This node's own podCIDR is its CNI bridge's and needs no route; a node whose address
 * is a loopback one or this node's own (hollow nodes of a scale test on one machine) is no
 * gateway and gets none. Sorted by CIDR.
 */
public final class PodRoutes {

    private PodRoutes() {
    }

    public static List<PodRoute> compute(List<Node> nodes, String self) {
        List<PodRoute> out = new ArrayList<>();
        String own = nodes.stream().filter(n -> n.getMetadata() != null && n.getMetadata().getName().equals(self))
                .map(PodRoutes::internalIp).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        for (Node node : nodes) {
            if (node.getMetadata() == null || node.getMetadata().getName().equals(self)) continue;
            if (node.getMetadata().getDeletionTimestamp() != null) continue;
            String cidr = node.getSpec() == null ? null : node.getSpec().getPodCIDR();
            if (!isIpv4Cidr(cidr)) continue;
            String via = internalIp(node);
            if (via == null || via.startsWith("127.") || via.equals(own)) continue;
            out.add(new PodRoute(cidr, via));
        }
        out.sort(Comparator.comparing(PodRoute::cidr));
        return List.copyOf(out);
    }

    private static String internalIp(Node node) {
        if (node.getStatus() == null || node.getStatus().getAddresses() == null) return null;
        for (NodeAddress a : node.getStatus().getAddresses()) {
            if ("InternalIP".equals(a.getType()) && Ipv4.isValid(a.getAddress())) return a.getAddress();
        }
        return null;
    }

    static boolean isIpv4Cidr(String cidr) {
        if (cidr == null) return false;
        int slash = cidr.indexOf('/');
        if (slash < 0 || !Ipv4.isValid(cidr.substring(0, slash))) return false;
        try {
            int bits = Integer.parseInt(cidr.substring(slash + 1));
            return bits >= 1 && bits <= 32;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
