package io.kube4j.scheduler.plugins.nodeports;

import io.kube4j.scheduler.framework.ClusterEvent;
import io.kube4j.scheduler.framework.ClusterView;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.FilterPlugin;
import io.kube4j.scheduler.framework.HostPort;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.PreFilterPlugin;
import io.kube4j.scheduler.framework.PreFilterResult;
import io.kube4j.scheduler.framework.Status;

/**
 * Filter: a pod asking for host ports fits a node only where none of them is taken (same protocol and port, and
 * the same host IP or either one {@code 0.0.0.0}). PreFilter skips pods that ask for none.
 */
public final class NodePorts implements PreFilterPlugin, FilterPlugin {

    public static final String NAME = "NodePorts";
    public static final String REASON = "node(s) didn't have free ports for the requested pod ports";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public java.util.Set<ClusterEvent> eventsToRegister() {
        return java.util.EnumSet.of(ClusterEvent.NODE_ADD, ClusterEvent.POD_DELETE);
    }

    @Override
    public PreFilterResult preFilter(CycleState state, PodInfo pod, ClusterView cluster) {
        return pod.hostPorts().isEmpty() ? PreFilterResult.SKIP : PreFilterResult.SUCCESS;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        for (HostPort wanted : pod.hostPorts()) {
            for (HostPort used : node.usedPorts()) {
                if (wanted.conflictsWith(used)) return Status.unschedulable(REASON);
            }
        }
        return Status.SUCCESS;
    }
}
