package io.kube4j.proxy.dns;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.kube4j.proxy.model.Ipv4;
import io.kube4j.proxy.model.Protocol;
import io.kube4j.proxy.model.RuleComputation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The cluster's DNS records as data, built by a pure function from Services and EndpointSlices
 * (the names of Kubernetes' DNS specification):
 * <ul>
 * <li>{@code <svc>.<ns>.svc.<domain>}: A with the cluster IP; for a headless Service, A with
 *     every ready endpoint's address; for ExternalName, a CNAME.</li>
 * <li>{@code _<port>._<proto>.<svc>.<ns>.svc.<domain>}: SRV per named port, to the Service's
 *     name (headless: to each endpoint's own name).</li>
 * <li>{@code <hostname>.<svc>.<ns>.svc.<domain>}: A for endpoints of a headless Service with a
 *     hostname (StatefulSet pods); endpoints without one are named by their dashed address.</li>
 * </ul>
 * Names are lower-case and absolute (trailing dot). Immutable.
 */
public final class DnsRecords {

    /** A target of an SRV record. */
    public record Srv(int port, String target) {
    }

    private final String domain;
    private final Map<String, List<String>> a;
    private final Map<String, String> cname;
    private final Map<String, List<Srv>> srv;
    private final Set<String> names;

    private DnsRecords(String domain, Map<String, List<String>> a, Map<String, String> cname,
                       Map<String, List<Srv>> srv, Set<String> names) {
        this.domain = domain;
        this.a = Map.copyOf(a);
        this.cname = Map.copyOf(cname);
        this.srv = Map.copyOf(srv);
        this.names = Set.copyOf(names);
    }

    public static DnsRecords empty(String clusterDomain) {
        return new DnsRecords(absolute(clusterDomain), Map.of(), Map.of(), Map.of(), Set.of());
    }

    public static DnsRecords build(String clusterDomain, List<Service> services, List<EndpointSlice> slices) {
        String domain = absolute(clusterDomain);
        Map<String, List<EndpointSlice>> byService = new HashMap<>();
        for (EndpointSlice slice : slices) {
            if (slice.getMetadata() == null || slice.getMetadata().getLabels() == null) continue;
            String svc = slice.getMetadata().getLabels().get(RuleComputation.SERVICE_NAME_LABEL);
            if (svc == null || !"IPv4".equals(slice.getAddressType())) continue;
            byService.computeIfAbsent(slice.getMetadata().getNamespace() + "/" + svc, k -> new ArrayList<>()).add(slice);
        }
        Map<String, List<String>> a = new HashMap<>();
        Map<String, String> cname = new HashMap<>();
        Map<String, List<Srv>> srv = new HashMap<>();
        Set<String> names = new HashSet<>();
        for (Service service : services) {
            if (service.getSpec() == null || service.getMetadata() == null) continue;
            String ns = service.getMetadata().getNamespace();
            String svcName = lower(service.getMetadata().getName() + "." + ns + ".svc." + domain);
            names.add(lower(ns + ".svc." + domain));
            names.add(svcName);
            String type = service.getSpec().getType();
            if ("ExternalName".equals(type)) {
                String target = service.getSpec().getExternalName();
                if (target != null && !target.isBlank()) cname.put(svcName, absolute(target.toLowerCase(Locale.ROOT)));
                continue;
            }
            String clusterIP = service.getSpec().getClusterIP();
            List<ServicePort> ports = service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
            if (Ipv4.isValid(clusterIP)) {
                a.put(svcName, List.of(clusterIP));
                for (ServicePort port : ports) {
                    if (port.getName() == null || port.getName().isEmpty() || port.getPort() == null) continue;
                    String name = srvName(port.getName(), port.getProtocol(), svcName);
                    srv.put(name, List.of(new Srv(port.getPort(), svcName)));
                    names.add(name);
                }
            } else if ("None".equals(clusterIP)) {
                boolean publishNotReady = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
                TreeSet<String> ips = new TreeSet<>();
                Map<String, TreeSet<String>> hostIps = new HashMap<>();
                Map<String, List<Srv>> headlessSrv = new HashMap<>();
                for (EndpointSlice slice : byService.getOrDefault(ns + "/" + service.getMetadata().getName(), List.of())) {
                    if (slice.getEndpoints() == null) continue;
                    for (Endpoint endpoint : slice.getEndpoints()) {
                        boolean ready = endpoint.getConditions() == null || endpoint.getConditions().getReady() == null
                                || endpoint.getConditions().getReady();
                        if (!ready && !publishNotReady || endpoint.getAddresses() == null) continue;
                        for (String ip : endpoint.getAddresses()) {
                            if (!Ipv4.isValid(ip)) continue;
                            ips.add(ip);
                            String host = endpoint.getHostname() != null && !endpoint.getHostname().isBlank()
                                    ? endpoint.getHostname() : ip.replace('.', '-');
                            String hostName = lower(host + "." + svcName);
                            hostIps.computeIfAbsent(hostName, k -> new TreeSet<>()).add(ip);
                            if (slice.getPorts() == null) continue;
                            for (var port : slice.getPorts()) {
                                if (port.getName() == null || port.getName().isEmpty() || port.getPort() == null) continue;
                                headlessSrv.computeIfAbsent(srvName(port.getName(), port.getProtocol(), svcName), k -> new ArrayList<>())
                                        .add(new Srv(port.getPort(), hostName));
                            }
                        }
                    }
                }
                if (!ips.isEmpty()) a.put(svcName, List.copyOf(ips));
                hostIps.forEach((name, set) -> {
                    a.put(name, List.copyOf(set));
                    names.add(name);
                });
                headlessSrv.forEach((name, list) -> {
                    srv.put(name, List.copyOf(new java.util.LinkedHashSet<>(list)));
                    names.add(name);
                });
            }
        }
        return new DnsRecords(domain, a, cname, srv, names);
    }

    private static String srvName(String port, String protocol, String svcName) {
        Protocol p = Protocol.parse(protocol).orElse(Protocol.TCP);
        return lower("_" + port + "._" + p.lower() + "." + svcName);
    }

    /** The cluster domain, absolute and lower-case: {@code cluster.local.}. */
    public String domain() {
        return domain;
    }

    /** Whether {@code name} (absolute, any case) lies in the cluster domain: answered here, never forwarded. */
    public boolean inClusterDomain(String name) {
        String n = lower(name);
        return n.equals(domain) || n.endsWith("." + domain);
    }

    /** A records of {@code name}; empty when none. */
    public List<String> a(String name) {
        String n = lower(name);
        List<String> records = a.get(n);
        if (records != null) return records;
        String pod = podAddress(n);
        return pod == null ? List.of() : List.of(pod);
    }

    public String cname(String name) {
        return cname.get(lower(name));
    }

    public List<Srv> srv(String name) {
        return srv.getOrDefault(lower(name), List.of());
    }

    /** Whether {@code name} exists (with records of some type, or as a parent of names that do): NODATA rather than NXDOMAIN. */
    public boolean exists(String name) {
        String n = lower(name);
        return n.equals(domain) || names.contains(n) || a.containsKey(n) || cname.containsKey(n)
                || n.equals("svc." + domain) || podAddress(n) != null;
    }

    /** {@code a-b-c-d.<ns>.pod.<domain>} answers a.b.c.d, as kube-dns does for any such name. */
    private String podAddress(String n) {
        String suffix = ".pod." + domain;
        if (!n.endsWith(suffix)) return null;
        String[] labels = n.substring(0, n.length() - suffix.length()).split("\\.");
        if (labels.length != 2) return null;
        String ip = labels[0].replace('-', '.');
        return Ipv4.isValid(ip) ? ip : null;
    }

    private static String lower(String name) {
        return absolute(name.toLowerCase(Locale.ROOT));
    }

    private static String absolute(String name) {
        return name.endsWith(".") ? name : name + ".";
    }
}
