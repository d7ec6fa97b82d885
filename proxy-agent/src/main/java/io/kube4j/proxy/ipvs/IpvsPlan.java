package io.kube4j.proxy.ipvs;

import io.kube4j.proxy.model.Backend;
import io.kube4j.proxy.model.ProxyRules;
import io.kube4j.proxy.model.ServicePortRules;

import java.util.List;
import java.util.TreeSet;

/**
 * What the IPVS mode programs, as data: one virtual server per frontend (cluster IP, external
 * IP, node address × node port) with its real servers, and the addresses bound to the dummy
 * interface so that the kernel accepts traffic to the virtual IPs. Pure.
 *
 * @param virtualServers the virtual servers, sorted
 * @param boundAddresses cluster and external IPs to bind to the dummy interface
 */
public record IpvsPlan(List<VirtualServer> virtualServers, List<String> boundAddresses) {

    /**
     * One virtual server.
     *
     * @param protocol        tcp, udp or sctp
     * @param address         the virtual address
     * @param port            the virtual port
     * @param persistence     sessionAffinity ClientIP's timeout in seconds, 0 for none
     * @param realServers     where connections go (masquerading forwarding, weight 1)
     */
    public record VirtualServer(String protocol, String address, int port, int persistence, List<Backend> realServers)
            implements Comparable<VirtualServer> {
        @Override
        public int compareTo(VirtualServer o) {
            int c = address.compareTo(o.address);
            if (c == 0) c = Integer.compare(port, o.port);
            return c == 0 ? protocol.compareTo(o.protocol) : c;
        }
    }

    public static IpvsPlan of(ProxyRules rules) {
        TreeSet<VirtualServer> servers = new TreeSet<>();
        TreeSet<String> bound = new TreeSet<>();
        for (ServicePortRules s : rules.services()) {
            String proto = s.name().protocol().lower();
            servers.add(new VirtualServer(proto, s.clusterIP(), s.port(), s.affinitySeconds(), s.endpoints()));
            bound.add(s.clusterIP());
            for (String ip : s.externalIPs()) {
                servers.add(new VirtualServer(proto, ip, s.port(), s.affinitySeconds(), s.externalEndpoints()));
                bound.add(ip);
            }
            if (s.nodePort() > 0) {
                for (String address : rules.nodePortAddresses()) {
                    servers.add(new VirtualServer(proto, address, s.nodePort(), s.affinitySeconds(), s.externalEndpoints()));
                }
            }
        }
        return new IpvsPlan(List.copyOf(servers), List.copyOf(bound));
    }

    /** The plan as {@code ipvsadm-restore} input (what {@code ipvsadm -Sn} prints): what --dry-run shows. */
    public String ipvsadmRules() {
        StringBuilder sb = new StringBuilder();
        for (VirtualServer v : virtualServers) {
            String flag = switch (v.protocol) {
                case "udp" -> "-u";
                case "sctp" -> "--sctp-service";
                default -> "-t";
            };
            sb.append("-A ").append(flag).append(' ').append(v.address).append(':').append(v.port).append(" -s rr");
            if (v.persistence > 0) sb.append(" -p ").append(v.persistence);
            sb.append('\n');
            for (Backend b : v.realServers) {
                sb.append("-a ").append(flag).append(' ').append(v.address).append(':').append(v.port)
                        .append(" -r ").append(b).append(" -m -w 1\n");
            }
        }
        return sb.toString();
    }
}
