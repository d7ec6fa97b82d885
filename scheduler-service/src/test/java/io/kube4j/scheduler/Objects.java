package io.kube4j.scheduler;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Terse builders of the Nodes and Pods the tests decide on. */
public final class Objects {

    private Objects() {
    }

    /** A node with cpu, memory and a pod capacity, and labels given as {@code k=v} strings. */
    public static NodeBuilder node(String name, String cpu, String memory, int pods, String... labels) {
        Map<String, Quantity> alloc = new HashMap<>();
        alloc.put("cpu", new Quantity(cpu));
        alloc.put("memory", new Quantity(memory));
        alloc.put("pods", new Quantity(Integer.toString(pods)));
        alloc.put("ephemeral-storage", new Quantity("100Gi"));
        Map<String, String> l = labels(labels);
        l.putIfAbsent("kubernetes.io/hostname", name);
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(l).endMetadata()
                .withNewSpec().endSpec()
                .withNewStatus().withAllocatable(alloc).withCapacity(alloc).endStatus();
    }

    public static Node node(String name, String... labels) {
        return node(name, "4", "8Gi", 110, labels).build();
    }

    public static Map<String, String> labels(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String s : kv) {
            int eq = s.indexOf('=');
            m.put(s.substring(0, eq), s.substring(eq + 1));
        }
        return m;
    }

    /** A pod in namespace default with one container requesting cpu and memory (null: no request). */
    public static PodBuilder requesting(String name, String cpu, String memory, String... labels) {
        Map<String, Quantity> req = new HashMap<>();
        if (cpu != null) req.put("cpu", new Quantity(cpu));
        if (memory != null) req.put("memory", new Quantity(memory));
        Container c = new ContainerBuilder().withName("c").withImage("busybox")
                .withNewResources().withRequests(req).endResources().build();
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").withUid("uid-" + name)
                .withLabels(labels(labels)).endMetadata()
                .withNewSpec().withContainers(c).endSpec();
    }

    public static Pod pod(String name, String... labels) {
        return requesting(name, null, null, labels).build();
    }

    public static PodBuilder edit(PodBuilder pod, UnaryOperator<PodBuilder> change) {
        return change.apply(pod);
    }

    public static PodBuilder edit(Pod pod, UnaryOperator<PodBuilder> change) {
        return change.apply(new PodBuilder(pod));
    }

    public static Taint taint(String key, String value, String effect) {
        return new TaintBuilder().withKey(key).withValue(value).withEffect(effect).build();
    }

    public static Toleration toleration(String key, String op, String value, String effect) {
        return new TolerationBuilder().withKey(key).withOperator(op).withValue(value).withEffect(effect).build();
    }

    public static LabelSelector selector(String... kv) {
        return new LabelSelectorBuilder().withMatchLabels(labels(kv)).build();
    }

    public static PodAffinityTerm term(String topologyKey, String... kv) {
        return new PodAffinityTermBuilder().withTopologyKey(topologyKey).withLabelSelector(selector(kv)).build();
    }

    /** A NodeInfo of the node with the pods placed on it. */
    public static NodeInfo nodeInfo(Node node, Pod... pods) {
        NodeInfo info = new NodeInfo(node);
        for (Pod p : pods) info.addPod(PodInfo.of(new PodBuilder(p).editSpec().withNodeName(node.getMetadata().getName()).endSpec().build()));
        return info;
    }

    public static List<NodeInfo> nodeInfos(NodeInfo... infos) {
        return List.of(infos);
    }
}
