package io.kube4j.proxy.policy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import io.kube4j.proxy.model.Ipv4;
import io.kube4j.proxy.model.Protocol;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The pure function from NetworkPolicies, pods and namespaces to the {@link PolicyRules} of a
 * node, with networking.k8s.io/v1 semantics:
 * <ul>
 * <li>A policy selects the pods of its namespace that match its podSelector (empty: all). Its
 *     policyTypes say which directions it isolates; unset, Ingress always and Egress when it has
 *     egress rules.</li>
 * <li>A pod selected for a direction by any policy is isolated for it; what passes is the union
 *     of every selecting policy's rules for that direction. Replies are not filtered.</li>
 * <li>A rule allows the product of its peers (none listed: anywhere) and its ports (none listed:
 *     every port). A peer is an ipBlock (cidr minus except), or pods: podSelector in the policy's
 *     namespace, namespaceSelector's namespaces' pods, or both together.</li>
 * <li>A port is TCP unless it says otherwise; endPort makes a range; a named port is resolved
 *     against the pod that owns it (the selected pod for ingress, the peer pod for egress), per
 *     protocol, and allows nothing where no such port exists.</li>
 * </ul>
 * Pods without an IPv4 address, on the host network or finished take no part.
 */
public final class NetworkPolicyComputation {

    private NetworkPolicyComputation() {
    }

    public static PolicyRules compute(PolicyState state) {
        Map<String, Map<String, String>> namespaceLabels = new HashMap<>();
        for (Namespace n : state.namespaces()) {
            if (n.getMetadata() != null) namespaceLabels.put(n.getMetadata().getName(), labels(n.getMetadata().getLabels()));
        }
        List<Pod> pods = state.pods().stream().filter(NetworkPolicyComputation::takesPart).toList();
        TreeMap<String, Target> targets = new TreeMap<>(java.util.Comparator.comparingLong(Ipv4::toLong));
        List<NetworkPolicy> policies = new ArrayList<>(state.policies());
        policies.sort(java.util.Comparator.comparing(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName()));
        for (NetworkPolicy policy : policies) {
            NetworkPolicySpec spec = policy.getSpec();
            if (spec == null || policy.getMetadata() == null) continue;
            String namespace = policy.getMetadata().getNamespace();
            boolean ingress = isolates(spec, "Ingress");
            boolean egress = isolates(spec, "Egress");
            if (!ingress && !egress) continue;
            for (Pod pod : pods) {
                if (!namespace.equals(pod.getMetadata().getNamespace())) continue;
                if (state.nodeName() != null && !state.nodeName().equals(pod.getSpec().getNodeName())) continue;
                if (!Selectors.matches(spec.getPodSelector(), pod.getMetadata().getLabels())) continue;
                Target t = targets.computeIfAbsent(pod.getStatus().getPodIP(), ip -> new Target(pod));
                if (ingress) {
                    t.ingressIsolated = true;
                    for (NetworkPolicyIngressRule rule : orEmpty(spec.getIngress())) {
                        allow(t.ingress, rule.getFrom(), rule.getPorts(), namespace, pod, true, pods, namespaceLabels);
                    }
                }
                if (egress) {
                    t.egressIsolated = true;
                    for (NetworkPolicyEgressRule rule : orEmpty(spec.getEgress())) {
                        allow(t.egress, rule.getTo(), rule.getPorts(), namespace, pod, false, pods, namespaceLabels);
                    }
                }
            }
        }
        List<PodPolicy> out = new ArrayList<>(targets.size());
        targets.forEach((ip, t) -> out.add(new PodPolicy(ip, t.pod.getMetadata().getNamespace() + "/" + t.pod.getMetadata().getName(),
                t.ingressIsolated, List.copyOf(t.ingress), t.egressIsolated, List.copyOf(t.egress))));
        return new PolicyRules(out);
    }

    private static final class Target {
        final Pod pod;
        boolean ingressIsolated;
        boolean egressIsolated;
        final TreeSet<Allow> ingress = new TreeSet<>();
        final TreeSet<Allow> egress = new TreeSet<>();

        Target(Pod pod) {
            this.pod = pod;
        }
    }

    private static boolean isolates(NetworkPolicySpec spec, String type) {
        List<String> types = spec.getPolicyTypes();
        if (types != null && !types.isEmpty()) return types.contains(type);
        return "Ingress".equals(type) || spec.getEgress() != null && !spec.getEgress().isEmpty();
    }

    /** Adds the product of {@code peers} and {@code ports}; {@code self} is the selected pod, which owns ingress's named ports. */
    private static void allow(TreeSet<Allow> out, List<NetworkPolicyPeer> peers, List<NetworkPolicyPort> ports, String namespace,
                              Pod self, boolean ingress, List<Pod> pods, Map<String, Map<String, String>> namespaceLabels) {
        // Each peer is a range (ipBlock, or anywhere) or a pod; named ports resolve against the pod that owns them.
        List<Peer> resolved = new ArrayList<>();
        if (peers == null || peers.isEmpty()) {
            resolved.add(new Peer(Allow.ANYWHERE, List.of(), null));
        } else {
            for (NetworkPolicyPeer peer : peers) {
                if (peer.getIpBlock() != null) {
                    String cidr = Cidrs.normalize(peer.getIpBlock().getCidr());
                    if (cidr == null) continue;
                    List<String> except = new ArrayList<>();
                    for (String e : orEmpty(peer.getIpBlock().getExcept())) {
                        String n = Cidrs.normalize(e);
                        if (n != null) except.add(n);
                    }
                    resolved.add(new Peer(cidr, new TreeSet<>(except).stream().toList(), null));
                    continue;
                }
                if (peer.getPodSelector() == null && peer.getNamespaceSelector() == null) continue;
                for (Pod p : pods) {
                    String ns = p.getMetadata().getNamespace();
                    boolean nsOk = peer.getNamespaceSelector() == null
                            ? namespace.equals(ns)
                            : namespaceLabels.containsKey(ns) && Selectors.matches(peer.getNamespaceSelector(), namespaceLabels.get(ns));
                    if (nsOk && Selectors.matches(peer.getPodSelector(), p.getMetadata().getLabels())) {
                        resolved.add(new Peer(p.getStatus().getPodIP() + "/32", List.of(), p));
                    }
                }
            }
        }
        if (ports == null || ports.isEmpty()) {
            for (Peer peer : resolved) out.add(new Allow(peer.cidr, peer.except, null, 0, 0));
            return;
        }
        for (NetworkPolicyPort port : ports) {
            Protocol protocol = Protocol.parse(port.getProtocol()).orElse(null);
            if (protocol == null) continue;
            IntOrString p = port.getPort();
            if (p == null) {
                for (Peer peer : resolved) out.add(new Allow(peer.cidr, peer.except, protocol, 0, 0));
            } else if (p.getIntVal() != null) {
                int first = p.getIntVal();
                int last = port.getEndPort() != null && port.getEndPort() >= first ? port.getEndPort() : first;
                if (first < 1 || last > 65535) continue;
                for (Peer peer : resolved) out.add(new Allow(peer.cidr, peer.except, protocol, first, last));
            } else if (ingress) {
                Integer number = namedPort(self, p.getStrVal(), protocol);
                if (number == null) continue;
                for (Peer peer : resolved) out.add(new Allow(peer.cidr, peer.except, protocol, number, number));
            } else {
                // Egress to a named port: only pods can own it, so a range peer narrows to the pods inside it that do.
                for (Peer peer : resolved) {
                    if (peer.pod != null) {
                        Integer number = namedPort(peer.pod, p.getStrVal(), protocol);
                        if (number != null) out.add(new Allow(peer.cidr, List.of(), protocol, number, number));
                        continue;
                    }
                    for (Pod other : pods) {
                        String ip = other.getStatus().getPodIP();
                        if (!Cidrs.contains(peer.cidr, ip) || peer.except.stream().anyMatch(e -> Cidrs.contains(e, ip))) continue;
                        Integer number = namedPort(other, p.getStrVal(), protocol);
                        if (number != null) out.add(new Allow(ip + "/32", List.of(), protocol, number, number));
                    }
                }
            }
        }
    }

    private record Peer(String cidr, List<String> except, Pod pod) {
    }

    private static Integer namedPort(Pod pod, String name, Protocol protocol) {
        for (Container c : orEmpty(pod.getSpec().getContainers())) {
            for (ContainerPort port : orEmpty(c.getPorts())) {
                if (Objects.equals(name, port.getName()) && Protocol.parse(port.getProtocol()).orElse(null) == protocol
                        && port.getContainerPort() != null) {
                    return port.getContainerPort();
                }
            }
        }
        return null;
    }

    private static boolean takesPart(Pod pod) {
        if (pod.getMetadata() == null || pod.getSpec() == null || pod.getStatus() == null) return false;
        if (Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) return false;
        String phase = pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) return false;
        return Ipv4.isValid(pod.getStatus().getPodIP());
    }

    private static Map<String, String> labels(Map<String, String> labels) {
        return labels == null ? Map.of() : labels;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
