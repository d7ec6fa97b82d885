package io.kube4j.proxy.policy;

import java.util.List;

/**
 * What the NetworkPolicies say about one pod. A direction that is not isolated lets everything
 * through; an isolated one lets through only its {@code Allow}s (none: everything is dropped).
 * Replies to allowed connections always pass.
 *
 * @param ip               the pod's IPv4 address
 * @param pod              {@code namespace/name}, for the chain names and logs
 * @param ingressIsolated  whether some policy with policyType Ingress selects the pod
 * @param ingress          sources (and destination ports on the pod) allowed in
 * @param egressIsolated   whether some policy with policyType Egress selects the pod
 * @param egress           destinations (and their ports) allowed out
 */
public record PodPolicy(String ip, String pod, boolean ingressIsolated, List<Allow> ingress,
                        boolean egressIsolated, List<Allow> egress) {

    public PodPolicy {
        ingress = List.copyOf(ingress);
        egress = List.copyOf(egress);
    }
}
