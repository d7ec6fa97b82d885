package io.kube4j.node.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import io.kube4j.node.cri.api.DNSConfig;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * A pod's {@code /etc/resolv.conf} as the kubelet writes it, from its {@code dnsPolicy} and
 * {@code dnsConfig}. Pure.
 *
 * <ul>
 *   <li>{@code ClusterFirst} (the default): the cluster's DNS servers, the search path
 *       {@code <ns>.svc.<domain> svc.<domain> <domain>}, {@code ndots:5}; a host-network pod
 *       gets the node's own resolver instead, as with {@code Default}.</li>
 *   <li>{@code ClusterFirstWithHostNet}: the cluster's DNS even on the host network.</li>
 *   <li>{@code Default}: the node's resolver (containerd copies the host's resolv.conf when the
 *       sandbox carries no DNS config).</li>
 *   <li>{@code None}: only what {@code dnsConfig} names.</li>
 * </ul>
 * {@code dnsConfig} adds to the policy's servers and searches, and its options override those of
 * the same name (under {@code Default}, only when it names a server). With no cluster DNS configured, the cluster policies fall back to {@code Default}.
 */
public final class PodDns {

    /** The cluster DNS the node hands its pods: the kube-dns Service's IP(s) and the cluster domain. */
    public record ClusterDns(List<String> servers, String domain) {
        public ClusterDns {
            servers = servers == null ? List.of() : List.copyOf(servers);
            domain = domain == null || domain.isBlank() ? "cluster.local" : domain;
        }
    }

    private PodDns() {
    }

    /** The sandbox's DNS config, or empty for the node's own resolver. */
    public static Optional<DNSConfig> config(Pod pod, ClusterDns cluster) {
        var spec = pod.getSpec();
        String policy = spec.getDnsPolicy() == null || spec.getDnsPolicy().isEmpty() ? "ClusterFirst" : spec.getDnsPolicy();
        boolean hostNetwork = Boolean.TRUE.equals(spec.getHostNetwork());
        boolean clusterFirst = switch (policy) {
            case "ClusterFirstWithHostNet" -> true;
            case "ClusterFirst" -> !hostNetwork;
            default -> false;
        };
        if (clusterFirst && cluster.servers().isEmpty()) clusterFirst = false;
        PodDNSConfig extra = spec.getDnsConfig();
        if (!clusterFirst && !"None".equals(policy) && extra == null) return Optional.empty();

        LinkedHashSet<String> servers = new LinkedHashSet<>();
        LinkedHashSet<String> searches = new LinkedHashSet<>();
        List<String[]> options = new ArrayList<>();
        if (clusterFirst) {
            servers.addAll(cluster.servers());
            String ns = pod.getMetadata().getNamespace();
            searches.add(ns + ".svc." + cluster.domain());
            searches.add("svc." + cluster.domain());
            searches.add(cluster.domain());
            options.add(new String[]{"ndots", "5"});
        }
        if (extra != null) {
            if (extra.getNameservers() != null) servers.addAll(extra.getNameservers());
            if (extra.getSearches() != null) searches.addAll(extra.getSearches());
            if (extra.getOptions() != null) {
                for (PodDNSConfigOption o : extra.getOptions()) {
                    if (o.getName() == null) continue;
                    options.removeIf(existing -> existing[0].equals(o.getName()));
                    options.add(new String[]{o.getName(), o.getValue()});
                }
            }
        }
        // The node's own servers cannot be merged here (containerd copies the host's file only when the
        // sandbox carries no DNS config): additions without a server of their own keep the node's resolver.
        if (!clusterFirst && !"None".equals(policy) && servers.isEmpty()) return Optional.empty();
        DNSConfig.Builder b = DNSConfig.newBuilder().addAllServers(servers).addAllSearches(searches);
        for (String[] o : options) b.addOptions(o[1] == null ? o[0] : o[0] + ":" + o[1]);
        return Optional.of(b.build());
    }
}
