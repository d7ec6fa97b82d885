package io.kube4j.scheduler.plugins.nodeunschedulable;

import io.kube4j.scheduler.framework.ClusterEvent;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.FilterPlugin;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.Status;
import io.kube4j.scheduler.plugins.tainttoleration.Tolerations;

/**
 * Filter: a cordoned node ({@code spec.unschedulable}) takes only pods that tolerate the
 * {@code node.kubernetes.io/unschedulable:NoSchedule} taint.
 */
public final class NodeUnschedulable implements FilterPlugin {

    public static final String NAME = "NodeUnschedulable";
    public static final String REASON = "node(s) were unschedulable";
    private static final Taint UNSCHEDULABLE = new TaintBuilder()
            .withKey("node.kubernetes.io/unschedulable").withEffect("NoSchedule").build();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public java.util.Set<ClusterEvent> eventsToRegister() {
        return java.util.EnumSet.of(ClusterEvent.NODE_ADD, ClusterEvent.NODE_UPDATE);
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        if (!node.unschedulable() || Tolerations.toleratedByAny(pod.tolerations(), UNSCHEDULABLE)) return Status.SUCCESS;
        return Status.unresolvable(REASON);
    }
}
