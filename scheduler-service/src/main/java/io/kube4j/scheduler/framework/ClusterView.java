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

    /** How many nodes hold the image (a normalized name); by default, counted now. */
    default int nodesWithImage(String image) {
        int n = 0;
        for (NodeInfo node : nodes()) if (node.imageSizes().containsKey(image)) n++;
        return n;
    }

    /**
     * The pending pods nominated to this node by a preemption (their room is being made there), or none. Filters
     * count those of at least the scheduled pod's priority as if they ran there.
     */
    default List<PodInfo> nominatedPods(String nodeName) {
        return List.of();
    }

    /** The labels of a namespace (for namespaceSelector), empty when it is unknown. */
    Map<String, String> namespaceLabels(String namespace);
}
