package io.kube4j.scheduler.framework;

import java.util.List;
import java.util.Map;

/**
 * The state of the cluster a scheduling cycle decides on: every node with its pods, as of the start of the cycle.
 * Nothing changes it while the cycle runs; it may be read from several threads.
 */
public interface ClusterView {

    /** Every node, in a stable order. */
    List<NodeInfo> nodes();

    /** The node of this name, or null. */
    NodeInfo node(String name);

    /** The nodes holding at least one pod with a pod-affinity or anti-affinity term. */
    List<NodeInfo> nodesWithAffinityPods();

    /** The nodes holding at least one pod with a required anti-affinity term. */
    List<NodeInfo> nodesWithRequiredAntiAffinityPods();

    /** The labels of a namespace (for namespaceSelector), empty when it is unknown. */
    Map<String, String> namespaceLabels(String namespace);
}
