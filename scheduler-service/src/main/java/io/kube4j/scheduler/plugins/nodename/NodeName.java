package io.kube4j.scheduler.plugins.nodename;

import io.kube4j.scheduler.framework.ClusterEvent;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.FilterPlugin;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.Status;

/** Filter: a pod that names a node in {@code spec.nodeName} fits only that node. */
public final class NodeName implements FilterPlugin {

    public static final String NAME = "NodeName";
    public static final String REASON = "node(s) didn't match the requested node name";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public java.util.Set<ClusterEvent> eventsToRegister() {
        return java.util.EnumSet.of(ClusterEvent.NODE_ADD);
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        String wanted = pod.nodeName();
        if (wanted == null || wanted.isEmpty() || wanted.equals(node.name())) return Status.SUCCESS;
        return Status.unresolvable(REASON);
    }
}
