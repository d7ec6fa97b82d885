package io.kube4j.scheduler.framework;

/**
 * A change in the cluster that can make an unschedulable pod schedulable. Each plugin names the events that can
 * undo its rejections; the queue retries a waiting pod only on those.
 */
public enum ClusterEvent {
    NODE_ADD,
    /** A node's labels, taints, allocatable or unschedulable flag changed. */
    NODE_UPDATE,
    NODE_DELETE,
    /** A pod was placed on a node (bound or assumed). */
    POD_ADD,
    /** A placed pod's labels changed. */
    POD_UPDATE,
    /** A placed pod went away, freeing resources, ports and domains. */
    POD_DELETE
}
