package io.kube4j.proxy.policy;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.Map;

/** Pods, namespaces and policies for the policy tests; policies are written as the YAML users apply. */
final class PolicyFixtures {

    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private PolicyFixtures() {
    }

    static Pod pod(String namespace, String name, String ip, String node, Map<String, String> labels) {
        return new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name).withLabels(labels).endMetadata()
                .withNewSpec().withNodeName(node)
                .addNewContainer().withName("c")
                .addNewPort().withName("http").withContainerPort(8080).withProtocol("TCP").endPort()
                .addNewPort().withName("dns").withContainerPort(5353).withProtocol("UDP").endPort()
                .endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip).endStatus().build();
    }

    static Namespace namespace(String name, Map<String, String> labels) {
        return new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build();
    }

    /** A policy in {@code namespace} from the YAML of its spec (indented as under {@code spec:}). */
    static NetworkPolicy policy(String namespace, String name, String spec) {
        String yaml = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  namespace: " + namespace
                + "\n  name: " + name + "\nspec:\n" + spec.stripIndent().lines().map(l -> "  " + l).reduce("", (a, b) -> a + b + "\n");
        return YAML.unmarshal(yaml, NetworkPolicy.class);
    }
}
