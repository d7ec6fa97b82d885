package io.kube4j.proxy.policy;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

import java.util.List;

/**
 * What network-policy rules are computed from: snapshots of the informers' caches (read, never
 * changed) and the node whose pods are filtered.
 *
 * @param policies   every NetworkPolicy
 * @param pods       every pod (peers are matched across the whole cluster)
 * @param namespaces every Namespace, for namespaceSelector
 * @param nodeName   the node whose pods get rules; null for every pod (tests, a single node)
 */
public record PolicyState(List<NetworkPolicy> policies, List<Pod> pods, List<Namespace> namespaces, String nodeName) {

    public PolicyState {
        policies = List.copyOf(policies);
        pods = List.copyOf(pods);
        namespaces = List.copyOf(namespaces);
    }
}
