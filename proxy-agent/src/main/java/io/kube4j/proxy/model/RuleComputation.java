package io.kube4j.proxy.model;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The pure function from cluster state to a node's desired rules, as kube-proxy computes them:
 * one {@link ServicePortRules} per port of every Service that has an IPv4 cluster IP (headless
 * and ExternalName Services program nothing; DNS answers for them), its endpoints from the
 * EndpointSlices labelled with the Service's name (or, for a selector-less Service without
 * slices, its v1 Endpoints), matched by port name and protocol.
 *
 * <p>Endpoint choice: the ready endpoints; while none is ready, the serving ones that are
 * terminating, so that a rolling update whose old pods still serve has no gap.
 */
public final class RuleComputation {

    /** The label that ties an EndpointSlice to its Service. */
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    static final int DEFAULT_AFFINITY_SECONDS = 10800;

    private RuleComputation() {
    }

    public static ProxyRules compute(ClusterState state) {
        Map<String, List<EndpointSlice>> slicesByService = new HashMap<>();
        for (EndpointSlice slice : state.endpointSlices()) {
            if (slice.getMetadata() == null || slice.getMetadata().getLabels() == null) continue;
            String service = slice.getMetadata().getLabels().get(SERVICE_NAME_LABEL);
            if (service == null || !"IPv4".equals(slice.getAddressType())) continue;
            slicesByService.computeIfAbsent(slice.getMetadata().getNamespace() + "/" + service, k -> new ArrayList<>()).add(slice);
        }
        Map<String, Endpoints> endpointsByService = new HashMap<>();
        for (Endpoints e : state.endpoints()) {
            endpointsByService.put(e.getMetadata().getNamespace() + "/" + e.getMetadata().getName(), e);
        }
        TreeMap<ServicePortName, ServicePortRules> rules = new TreeMap<>();
        for (Service service : state.services()) {
            ServiceSpec spec = service.getSpec();
            if (spec == null || !Ipv4.isValid(spec.getClusterIP()) || "ExternalName".equals(spec.getType())) continue;
            String key = service.getMetadata().getNamespace() + "/" + service.getMetadata().getName();
            List<EndpointSlice> slices = slicesByService.getOrDefault(key, List.of());
            Endpoints legacy = slices.isEmpty() && (spec.getSelector() == null || spec.getSelector().isEmpty())
                    ? endpointsByService.get(key) : null;
            // A Service with a selector and no EndpointSlice yet has endpoints nobody has computed,
            // not zero endpoints: it is left out, so that a new connection's first SYN is dropped by
            // the node-port guard (the client sends it again a second later) rather than refused.
            if (slices.isEmpty() && spec.getSelector() != null && !spec.getSelector().isEmpty()) continue;
            for (ServicePort port : spec.getPorts() == null ? List.<ServicePort>of() : spec.getPorts()) {
                Protocol protocol = Protocol.parse(port.getProtocol()).orElse(null);
                if (protocol == null || port.getPort() == null) continue;
                ServicePortName name = new ServicePortName(service.getMetadata().getNamespace(),
                        service.getMetadata().getName(), port.getName(), protocol);
                List<Candidate> candidates = legacy != null
                        ? fromEndpoints(legacy, name)
                        : fromSlices(slices, name);
                rules.put(name, portRules(service, port, name, candidates, state.nodeName()));
            }
        }
        return new ProxyRules(List.copyOf(rules.values()), List.copyOf(new TreeSet<>(state.nodePortAddresses())));
    }

    private static ServicePortRules portRules(Service service, ServicePort port, ServicePortName name,
                                              List<Candidate> candidates, String nodeName) {
        ServiceSpec spec = service.getSpec();
        String type = spec.getType() == null ? "ClusterIP" : spec.getType();
        boolean nodePorts = "NodePort".equals(type) || "LoadBalancer".equals(type);
        int nodePort = nodePorts && port.getNodePort() != null ? port.getNodePort() : 0;
        TreeSet<String> external = new TreeSet<>();
        if (spec.getExternalIPs() != null) spec.getExternalIPs().stream().filter(Ipv4::isValid).forEach(external::add);
        if ("LoadBalancer".equals(type) && service.getStatus() != null && service.getStatus().getLoadBalancer() != null
                && service.getStatus().getLoadBalancer().getIngress() != null) {
            for (LoadBalancerIngress ingress : service.getStatus().getLoadBalancer().getIngress()) {
                if (Ipv4.isValid(ingress.getIp())) external.add(ingress.getIp());
            }
        }
        boolean local = "Local".equals(spec.getExternalTrafficPolicy()) && (nodePort > 0 || !external.isEmpty());
        int affinity = 0;
        if ("ClientIP".equals(spec.getSessionAffinity())) {
            Integer timeout = spec.getSessionAffinityConfig() == null || spec.getSessionAffinityConfig().getClientIP() == null
                    ? null : spec.getSessionAffinityConfig().getClientIP().getTimeoutSeconds();
            affinity = timeout == null || timeout <= 0 ? DEFAULT_AFFINITY_SECONDS : timeout;
        }
        List<Backend> all = choose(candidates);
        List<Backend> mine = choose(candidates.stream().filter(c -> Objects.equals(c.nodeName, nodeName)).toList());
        // Elsewhere: placed on another node by every slice that lists it (an endpoint without a node may be anywhere).
        Set<Backend> maybeHere = new HashSet<>();
        for (Candidate c : candidates) if (c.nodeName == null || c.nodeName.equals(nodeName)) maybeHere.add(c.backend);
        List<Backend> elsewhere = all.stream().filter(b -> !maybeHere.contains(b)).toList();
        // internalTrafficPolicy Local: traffic to the cluster IP stays on its node (honoured for Services that
        // only have a cluster IP; a node port or external IP keeps the cluster-wide list its external policy needs).
        boolean internalLocal = "Local".equals(spec.getInternalTrafficPolicy()) && nodePort == 0 && external.isEmpty();
        return new ServicePortRules(name, spec.getClusterIP(), port.getPort(), nodePort, List.copyOf(external),
                internalLocal ? mine : all, local, mine, affinity, internalLocal ? List.of() : elsewhere);
    }

    /** Ready endpoints, else serving-and-terminating ones; deduplicated (an endpoint may sit in two slices while they are rebalanced). */
    private static List<Backend> choose(List<Candidate> candidates) {
        TreeSet<Backend> ready = new TreeSet<>();
        TreeSet<Backend> terminating = new TreeSet<>();
        for (Candidate c : candidates) {
            if (c.ready) ready.add(c.backend);
            else if (c.serving && c.terminating) terminating.add(c.backend);
        }
        return List.copyOf(ready.isEmpty() ? terminating : ready);
    }

    private static List<Candidate> fromSlices(List<EndpointSlice> slices, ServicePortName name) {
        List<Candidate> out = new ArrayList<>();
        for (EndpointSlice slice : slices) {
            if (slice.getPorts() == null || slice.getEndpoints() == null) continue;
            for (var port : slice.getPorts()) {
                String portName = port.getName() == null ? "" : port.getName();
                if (!portName.equals(name.port()) || port.getPort() == null) continue;
                if (Protocol.parse(port.getProtocol()).orElse(null) != name.protocol()) continue;
                for (Endpoint endpoint : slice.getEndpoints()) {
                    EndpointConditions conditions = endpoint.getConditions();
                    boolean ready = conditions == null || conditions.getReady() == null || conditions.getReady();
                    boolean serving = conditions == null || conditions.getServing() == null ? ready : conditions.getServing();
                    boolean terminating = conditions != null && Boolean.TRUE.equals(conditions.getTerminating());
                    if (endpoint.getAddresses() == null) continue;
                    for (String address : endpoint.getAddresses()) {
                        if (!Ipv4.isValid(address) || port.getPort() < 1 || port.getPort() > 65535) continue;
                        out.add(new Candidate(new Backend(address, port.getPort()), endpoint.getNodeName(), ready, serving, terminating));
                    }
                }
            }
        }
        return out;
    }

    private static List<Candidate> fromEndpoints(Endpoints endpoints, ServicePortName name) {
        List<Candidate> out = new ArrayList<>();
        if (endpoints.getSubsets() == null) return out;
        for (EndpointSubset subset : endpoints.getSubsets()) {
            if (subset.getPorts() == null) continue;
            for (EndpointPort port : subset.getPorts()) {
                String portName = port.getName() == null ? "" : port.getName();
                if (!portName.equals(name.port()) || port.getPort() == null || port.getPort() < 1 || port.getPort() > 65535) continue;
                if (Protocol.parse(port.getProtocol()).orElse(null) != name.protocol()) continue;
                addAll(out, subset.getAddresses(), port.getPort(), true);
                addAll(out, subset.getNotReadyAddresses(), port.getPort(), false);
            }
        }
        return out;
    }

    private static void addAll(List<Candidate> out, List<EndpointAddress> addresses, int port, boolean ready) {
        if (addresses == null) return;
        for (EndpointAddress a : addresses) {
            if (Ipv4.isValid(a.getIp())) out.add(new Candidate(new Backend(a.getIp(), port), a.getNodeName(), ready, ready, false));
        }
    }

    private record Candidate(Backend backend, String nodeName, boolean ready, boolean serving, boolean terminating) {
    }
}
