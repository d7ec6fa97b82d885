package io.kube4j.controller.e2e;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.kube4j.controller.daemonset.DaemonPods;
import io.kube4j.testcluster.LocalCluster;
import io.kube4j.testsupport.Kubectl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.kube4j.controller.e2e.ControllerServiceTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DaemonSets on the real stack with the controller service in this JVM, driven by the real
 * kubectl: a pod pinned to each node the set selects, a node added mid-test getting its pod and a
 * node removed losing it, {@code rollout status/history/undo} over ControllerRevisions with a
 * rolling update one node at a time, and {@code kubectl get daemonset}'s counts. Nodes are Node
 * objects only (no agent runs); pods become Ready when the test says so ({@link PodReadiness}).
 */
class DaemonSetEndToEndTest {

    static LocalCluster cluster;
    static ConfigurableApplicationContext controllers;

    @BeforeAll
    static void start() {
        cluster = LocalCluster.start();
        // Its nodes are bare Node objects with no agent beating for them: without this the node lifecycle
        // controller would mark them NotReady after its grace period (40 s) and their pods with them,
        // stalling a rollout that a loaded machine has not finished by then.
        controllers = ControllerServices.start(cluster, "ds-a", "--kube4j.controllers.disabled=nodelifecycle");
    }

    @AfterAll
    static void stop() {
        if (controllers != null) controllers.close();
        if (cluster != null) cluster.close();
    }

    static final String MANIFEST = """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: agent, namespace: ds}
            spec:
              selector:
                matchLabels: {app: agent}
              template:
                metadata:
                  labels: {app: agent}
                spec:
                  nodeSelector: {role: worker}
                  containers:
                  - name: agent
                    image: agent:1
            """;

    static void node(String name, String role) {
        cluster.client().nodes().resource(new NodeBuilder().withNewMetadata().withName(name).addToLabels("role", role).endMetadata().build()).create();
    }

    List<Pod> pods() {
        return cluster.client().pods().inNamespace("ds").list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    /** Node → image of the live pods, one entry per node (a node with two pods fails the collection). */
    Map<String, String> imagesByNode() {
        return pods().stream().collect(Collectors.toMap(DaemonPods::targetNode, p -> p.getSpec().getContainers().getFirst().getImage()));
    }

    boolean imagesAre(Map<String, String> expected) {
        try {
            return imagesByNode().equals(expected);
        } catch (IllegalStateException twoOnANode) {
            return false;
        }
    }

    @Test
    void podPerNodeNodesComingAndGoingRollingUpdateHistoryAndUndo() throws Exception {
        Kubectl kubectl = cluster.kubectl();
        kubectl.ok("create", "namespace", "ds");
        node("n1", "worker");
        node("n2", "worker");
        node("edge", "edge");
        try (var readiness = new PodReadiness(cluster.client(), "ds", p -> true)) {
            kubectl.runWithInput(MANIFEST, "apply", "-f", "-");
            assertThat(kubectl.ok("rollout", "status", "daemonset/agent", "-n", "ds", "--timeout=90s"))
                    .contains("daemon set \"agent\" successfully rolled out");
            await(() -> imagesAre(Map.of("n1", "agent:1", "n2", "agent:1")));
            Pod pod = pods().getFirst();
            assertThat(pod.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                    .getNodeSelectorTerms().getFirst().getMatchFields().getFirst().getKey()).isEqualTo("metadata.name");
            assertThat(pod.getSpec().getTolerations()).anySatisfy(t -> assertThat(t.getKey()).isEqualTo("node.kubernetes.io/unreachable"));
            assertThat(kubectl.ok("get", "daemonset", "agent", "-n", "ds")).containsPattern("agent\\s+2\\s+2\\s+2\\s+2\\s+2\\s+role=worker");

            // A node joins: it gets its pod. A node leaves: its pod goes.
            node("n3", "worker");
            await(() -> imagesAre(Map.of("n1", "agent:1", "n2", "agent:1", "n3", "agent:1")));
            cluster.client().nodes().withName("n2").delete();
            await(() -> imagesAre(Map.of("n1", "agent:1", "n3", "agent:1")));
            await(() -> {
                DaemonSet ds = cluster.client().apps().daemonSets().inNamespace("ds").withName("agent").get();
                return ds.getStatus().getDesiredNumberScheduled() == 2 && ds.getStatus().getNumberReady() == 2;
            });

            // A rolling update, one node at a time (maxUnavailable 1): never two nodes without a pod.
            kubectl.ok("set", "image", "daemonset/agent", "agent=agent:2", "-n", "ds");
            assertThat(kubectl.ok("rollout", "status", "daemonset/agent", "-n", "ds", "--timeout=90s")).contains("successfully rolled out");
            await(() -> imagesAre(Map.of("n1", "agent:2", "n3", "agent:2")));
            String history = kubectl.ok("rollout", "history", "daemonset/agent", "-n", "ds");
            assertThat(history).containsPattern("(?m)^1\\s").containsPattern("(?m)^2\\s");
            assertThat(kubectl.ok("rollout", "history", "daemonset/agent", "-n", "ds", "--revision=1")).contains("agent:1");

            assertThat(kubectl.ok("rollout", "undo", "daemonset/agent", "-n", "ds")).contains("rolled back");
            assertThat(kubectl.ok("rollout", "status", "daemonset/agent", "-n", "ds", "--timeout=90s")).contains("successfully rolled out");
            await(() -> imagesAre(Map.of("n1", "agent:1", "n3", "agent:1")));
            assertThat(kubectl.ok("rollout", "history", "daemonset/agent", "-n", "ds")).containsPattern("(?m)^3\\s");
            assertThat(kubectl.ok("describe", "daemonset", "agent", "-n", "ds")).contains("Created pod: agent-").contains("Deleted pod: agent-");
        }
    }
}
