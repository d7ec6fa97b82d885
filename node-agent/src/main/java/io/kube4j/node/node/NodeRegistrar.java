package io.kube4j.node.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Registers the agent's Node with the gateway and writes its status when it changed. Not
 * thread-safe: one scheduler thread calls it.
 */
public final class NodeRegistrar {

    private static final Logger log = LoggerFactory.getLogger(NodeRegistrar.class);

    private final KubernetesClient client;
    private final String nodeName;
    private final Map<String, String> labels;
    private final String podCidr;
    private NodeStatus written;

    public NodeRegistrar(KubernetesClient client, String nodeName, Map<String, String> labels, String podCidr) {
        this.client = client;
        this.nodeName = nodeName;
        this.labels = Map.copyOf(labels);
        this.podCidr = podCidr;
    }

    /** Creates the Node, or brings an existing one's labels and podCIDR up to date; idempotent. */
    public void register() {
        Node node = new NodeBuilder().withNewMetadata().withName(nodeName).withLabels(labels).endMetadata()
                .withNewSpec().withPodCIDR(podCidr).withPodCIDRs(List.of(podCidr)).endSpec().build();
        try {
            client.nodes().resource(node).create();
            log.info("registered node {}", nodeName);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) throw e;
            Node existing = client.nodes().withName(nodeName).get();
            // The Node's current status is the base: conditions keep their transition times across agent restarts.
            if (existing != null && existing.getStatus() != null && existing.getStatus().getConditions() != null
                    && !existing.getStatus().getConditions().isEmpty()) {
                written = existing.getStatus();
            }
            String patch = client.getKubernetesSerialization().asJson(Map.of(
                    "metadata", Map.of("labels", labels),
                    "spec", Map.of("podCIDR", podCidr, "podCIDRs", List.of(podCidr))));
            client.nodes().withName(nodeName).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            log.info("node {} was registered already; labels and podCIDR brought up to date", nodeName);
        }
    }

    /**
     * Writes {@code status} unless it equals what was last written (timestamps of unchanged
     * conditions are kept by the computer, so an equal status means nothing changed).
     *
     * @return whether it wrote
     */
    public boolean report(NodeStatus status) {
        if (written != null && NodeStatusComputer.sameEnough(written, status)) return false;
        String patch = "{\"status\":" + client.getKubernetesSerialization().asJson(status) + "}";
        try {
            client.nodes().withName(nodeName).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) throw e;
            // Deleted behind the agent's back: register again, as the kubelet does.
            register();
            client.nodes().withName(nodeName).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        }
        if (!Objects.equals(written, status)) log.info("node {} status written", nodeName);
        written = status;
        return true;
    }

    /** The status last written, the base of the next computation. */
    public NodeStatus written() {
        return written;
    }
}
