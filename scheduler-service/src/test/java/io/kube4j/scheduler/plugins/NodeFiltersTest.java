package io.kube4j.scheduler.plugins;

import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.scheduler.framework.Code;
import io.kube4j.scheduler.framework.FilterPlugin;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.Status;
import io.kube4j.scheduler.plugins.nodename.NodeName;
import io.kube4j.scheduler.plugins.nodeports.NodePorts;
import io.kube4j.scheduler.plugins.nodeunschedulable.NodeUnschedulable;
import io.kube4j.scheduler.plugins.tainttoleration.TaintToleration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static io.kube4j.scheduler.Objects.edit;
import static io.kube4j.scheduler.Objects.node;
import static io.kube4j.scheduler.Objects.nodeInfo;
import static io.kube4j.scheduler.Objects.pod;
import static io.kube4j.scheduler.Objects.taint;
import static io.kube4j.scheduler.Objects.toleration;
import static org.assertj.core.api.Assertions.assertThat;

/** NodeName, NodeUnschedulable, TaintToleration and NodePorts filters: one pod, one node, kube-scheduler's answer. */
class NodeFiltersTest {

    record Case(String name, FilterPlugin plugin, Pod pod, NodeInfo node, Code code, String reason) {
        @Override
        public String toString() {
            return plugin.name() + ": " + name;
        }
    }

    private static Node tainted(io.fabric8.kubernetes.api.model.Taint... taints) {
        return node("n1", "4", "8Gi", 110).editSpec().withTaints(taints).endSpec().build();
    }

    private static Pod tolerating(io.fabric8.kubernetes.api.model.Toleration... tolerations) {
        return edit(pod("p"), b -> b.editSpec().withTolerations(tolerations).endSpec()).build();
    }

    private static Pod withHostPort(String name, int port, String ip, String protocol) {
        return edit(pod(name), b -> b.editSpec().editFirstContainer().withPorts(new ContainerPortBuilder()
                .withContainerPort(80).withHostPort(port).withHostIP(ip).withProtocol(protocol).build())
                .endContainer().endSpec()).build();
    }

    static Stream<Case> cases() {
        Node cordoned = node("n1", "4", "8Gi", 110).editSpec().withUnschedulable(true).endSpec().build();
        String untolerated = "node(s) had untolerated taint {dedicated: gpu}";
        return Stream.of(
                new Case("no nodeName fits any node", new NodeName(), pod("p"), nodeInfo(node("n1")), Code.SUCCESS, ""),
                new Case("nodeName of this node", new NodeName(),
                        edit(pod("p"), b -> b.editSpec().withNodeName("n1").endSpec()).build(), nodeInfo(node("n1")), Code.SUCCESS, ""),
                new Case("nodeName of another node", new NodeName(),
                        edit(pod("p"), b -> b.editSpec().withNodeName("n2").endSpec()).build(), nodeInfo(node("n1")),
                        Code.UNSCHEDULABLE_AND_UNRESOLVABLE, "node(s) didn't match the requested node name"),

                new Case("schedulable node", new NodeUnschedulable(), pod("p"), nodeInfo(node("n1")), Code.SUCCESS, ""),
                new Case("cordoned node", new NodeUnschedulable(), pod("p"), nodeInfo(cordoned),
                        Code.UNSCHEDULABLE_AND_UNRESOLVABLE, "node(s) were unschedulable"),
                new Case("cordoned node, pod tolerates unschedulable", new NodeUnschedulable(),
                        tolerating(toleration("node.kubernetes.io/unschedulable", "Exists", null, "NoSchedule")),
                        nodeInfo(cordoned), Code.SUCCESS, ""),

                new Case("no taints", new TaintToleration(), pod("p"), nodeInfo(node("n1")), Code.SUCCESS, ""),
                new Case("NoSchedule taint not tolerated", new TaintToleration(), pod("p"),
                        nodeInfo(tainted(taint("dedicated", "gpu", "NoSchedule"))), Code.UNSCHEDULABLE_AND_UNRESOLVABLE, untolerated),
                new Case("NoExecute taint not tolerated", new TaintToleration(), pod("p"),
                        nodeInfo(tainted(taint("dedicated", "gpu", "NoExecute"))), Code.UNSCHEDULABLE_AND_UNRESOLVABLE, untolerated),
                new Case("PreferNoSchedule taint never filters", new TaintToleration(), pod("p"),
                        nodeInfo(tainted(taint("dedicated", "gpu", "PreferNoSchedule"))), Code.SUCCESS, ""),
                new Case("Equal toleration with the value", new TaintToleration(),
                        tolerating(toleration("dedicated", "Equal", "gpu", "NoSchedule")),
                        nodeInfo(tainted(taint("dedicated", "gpu", "NoSchedule"))), Code.SUCCESS, ""),
                new Case("Equal toleration with another value", new TaintToleration(),
                        tolerating(toleration("dedicated", "Equal", "cpu", "NoSchedule")),
                        nodeInfo(tainted(taint("dedicated", "gpu", "NoSchedule"))), Code.UNSCHEDULABLE_AND_UNRESOLVABLE, untolerated),
                new Case("Exists toleration ignores the value", new TaintToleration(),
                        tolerating(toleration("dedicated", "Exists", null, "NoSchedule")),
                        nodeInfo(tainted(taint("dedicated", "gpu", "NoSchedule"))), Code.SUCCESS, ""),
                new Case("toleration of another effect", new TaintToleration(),
                        tolerating(toleration("dedicated", "Exists", null, "NoExecute")),
                        nodeInfo(tainted(taint("dedicated", "gpu", "NoSchedule"))), Code.UNSCHEDULABLE_AND_UNRESOLVABLE, untolerated),
                new Case("toleration with no effect tolerates every effect", new TaintToleration(),
                        tolerating(toleration("dedicated", "Exists", null, null)),
                        nodeInfo(tainted(taint("dedicated", "gpu", "NoExecute"))), Code.SUCCESS, ""),
                new Case("empty key with Exists tolerates everything", new TaintToleration(),
                        tolerating(toleration(null, "Exists", null, null)),
                        nodeInfo(tainted(taint("a", "1", "NoSchedule"), taint("b", "2", "NoExecute"))), Code.SUCCESS, ""),
                new Case("the first untolerated taint is reported", new TaintToleration(),
                        tolerating(toleration("a", "Exists", null, null)),
                        nodeInfo(tainted(taint("a", "1", "NoSchedule"), taint("b", "", "NoSchedule"))),
                        Code.UNSCHEDULABLE_AND_UNRESOLVABLE, "node(s) had untolerated taint {b: }"),

                new Case("no host ports", new NodePorts(), pod("p"),
                        nodeInfo(node("n1"), withHostPort("x", 80, null, null)), Code.SUCCESS, ""),
                new Case("same port and protocol, both on all addresses", new NodePorts(), withHostPort("p", 80, null, null),
                        nodeInfo(node("n1"), withHostPort("x", 80, null, null)), Code.UNSCHEDULABLE,
                        "node(s) didn't have free ports for the requested pod ports"),
                new Case("same port, other protocol", new NodePorts(), withHostPort("p", 80, null, "UDP"),
                        nodeInfo(node("n1"), withHostPort("x", 80, null, null)), Code.SUCCESS, ""),
                new Case("same port, different specific IPs", new NodePorts(), withHostPort("p", 80, "10.0.0.1", null),
                        nodeInfo(node("n1"), withHostPort("x", 80, "10.0.0.2", null)), Code.SUCCESS, ""),
                new Case("same port, one on 0.0.0.0", new NodePorts(), withHostPort("p", 80, "10.0.0.1", null),
                        nodeInfo(node("n1"), withHostPort("x", 80, "0.0.0.0", null)), Code.UNSCHEDULABLE,
                        "node(s) didn't have free ports for the requested pod ports"),
                new Case("other port", new NodePorts(), withHostPort("p", 8080, null, null),
                        nodeInfo(node("n1"), withHostPort("x", 80, null, null)), Code.SUCCESS, "")
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void filters(Case c) {
        Status s = PluginHarness.filter(c.plugin(), c.pod(), List.of(c.node())).get("n1");
        assertThat(s.code()).isEqualTo(c.code());
        assertThat(s.message()).isEqualTo(c.reason());
    }
}
