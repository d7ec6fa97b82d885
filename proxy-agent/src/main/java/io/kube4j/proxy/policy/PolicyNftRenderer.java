package io.kube4j.proxy.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * The pure translation of {@link PolicyRules} into an {@code nft -f} script that replaces the
 * policy table whole, in one transaction.
 *
 * <p>Shape: a base chain on the forward hook (after the Service rules' DNAT, so it sees the
 * chosen pod's address and target port; with br_netfilter it sees pod-to-pod traffic on the
 * same bridge too) accepts established and related packets, then looks the source up in
 * {@code egress-pods} and the destination in {@code ingress-pods}, each mapping an isolated
 * pod's address to a jump into that pod's chain. An egress chain returns for what is allowed (the
 * destination's ingress check still follows); an ingress chain accepts it; both end in drop.
 * Traffic the node itself sends to a pod (probes) takes the output hook and is not filtered.
 */
public final class PolicyNftRenderer {

    public static final String INGRESS_PODS = "ingress-pods";
    public static final String EGRESS_PODS = "egress-pods";
    /** nft's limit on a chain name is 256 bytes; the address keeps names unique, the pod's name keeps them readable. */
    private static final int READABLE_MAX = 180;

    private PolicyNftRenderer() {
    }

    public static String script(String table, PolicyRules rules) {
        String t = "ip " + table;
        StringBuilder sb = new StringBuilder(256 + rules.pods().size() * 200);
        line(sb, "add table " + t);
        line(sb, "delete table " + t);
        line(sb, "add table " + t);
        line(sb, "add map " + t + " " + INGRESS_PODS + " { type ipv4_addr : verdict ; }");
        line(sb, "add map " + t + " " + EGRESS_PODS + " { type ipv4_addr : verdict ; }");
        line(sb, "add chain " + t + " forward { type filter hook forward priority 0 ; policy accept ; }");
        line(sb, "add rule " + t + " forward ct state established,related accept");
        line(sb, "add rule " + t + " forward ip saddr vmap @" + EGRESS_PODS);
        line(sb, "add rule " + t + " forward ip daddr vmap @" + INGRESS_PODS);
        List<String> ingressElements = new ArrayList<>();
        List<String> egressElements = new ArrayList<>();
        for (PodPolicy pod : rules.pods()) {
            if (pod.ingressIsolated()) {
                String chain = chain("ingress", pod);
                line(sb, "add chain " + t + " " + chain);
                for (Allow a : pod.ingress()) line(sb, "add rule " + t + " " + chain + " " + match("saddr", a) + "accept");
                line(sb, "add rule " + t + " " + chain + " drop");
                ingressElements.add(pod.ip() + " : jump " + chain);
            }
            if (pod.egressIsolated()) {
                String chain = chain("egress", pod);
                line(sb, "add chain " + t + " " + chain);
                for (Allow a : pod.egress()) line(sb, "add rule " + t + " " + chain + " " + match("daddr", a) + "return");
                line(sb, "add rule " + t + " " + chain + " drop");
                egressElements.add(pod.ip() + " : jump " + chain);
            }
        }
        if (!ingressElements.isEmpty()) line(sb, "add element " + t + " " + INGRESS_PODS + " { " + String.join(", ", ingressElements) + " }");
        if (!egressElements.isEmpty()) line(sb, "add element " + t + " " + EGRESS_PODS + " { " + String.join(", ", egressElements) + " }");
        return sb.toString();
    }

    /** Removes the table; idempotent. */
    public static String cleanup(String table) {
        return "add table ip " + table + "\ndelete table ip " + table + "\n";
    }

    /** The match of one allowance on the peer's address ({@code saddr} for ingress, {@code daddr} for egress), ending in a space. */
    static String match(String peer, Allow a) {
        StringBuilder sb = new StringBuilder();
        if (!Allow.ANYWHERE.equals(a.cidr())) sb.append("ip ").append(peer).append(' ').append(a.cidr()).append(' ');
        if (!a.except().isEmpty()) sb.append("ip ").append(peer).append(" != { ").append(String.join(", ", a.except())).append(" } ");
        if (a.protocol() != null) sb.append("meta l4proto ").append(a.protocol().lower()).append(' ');
        if (a.port() != 0) {
            sb.append("th dport ").append(a.port());
            if (a.endPort() != a.port()) sb.append('-').append(a.endPort());
            sb.append(' ');
        }
        return sb.toString();
    }

    private static String chain(String direction, PodPolicy pod) {
        String readable = pod.pod().length() > READABLE_MAX ? pod.pod().substring(0, READABLE_MAX) : pod.pod();
        return direction + "-" + pod.ip() + "-" + readable;
    }

    private static void line(StringBuilder sb, String line) {
        sb.append(line).append('\n');
    }
}
