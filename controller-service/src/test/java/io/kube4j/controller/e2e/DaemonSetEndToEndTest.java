package io.kube4j.controller.e2e;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.kube4j.controller.daemonset.DaemonPods;
import io.kube4j.machinery.ephemeral.EphemeralKeys;
import io.kube4j.testcluster.LocalCluster;
import io.kube4j.testsupport.Kubectl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

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
 * objects only (no agent runs; the test writes their heartbeats); pods become Ready when the test
 * says so ({@link PodReadiness}).
 */
@ExtendWith(SharedControlPlane.Extension.class)
class DaemonSetEndToEndTest {

    static final List<String> NODES = List.of("ds-n1", "ds-n2", "ds-n3", "ds-edge");

    static SharedControlPlane plane;
    static LocalCluster cluster;
    static Thread heartbeats;

    @BeforeAll
    static void start(SharedControlPlane shared) {
        plane = shared;
        cluster = shared.cluster();
        heartbeats = beatFor(NODES);
    }

    @AfterAll
    static void stop() {
        if (heartbeats != null) heartbeats.interrupt();
        if (cluster == null) return;
        // Without heartbeats they would turn NotReady, and the classes after this one share the cluster.
        for (String node : NODES) cluster.client().nodes().withName(node).delete();
        plane.deleteNamespaces("ds");
    }

    /**
     * Plays the node agents' heartbeats (every half second, into the Redis the node lifecycle
     * controller reads), so that the Node objects stay Ready for as long as the test runs.
     */
    static Thread beatFor(List<String> nodes) {
        return Thread.ofPlatform().daemon().name("node-heartbeats").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    for (String node : nodes) plane.redis().command("SET", EphemeralKeys.heartbeat(node), Long.toString(System.currentTimeMillis()));
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException retry) {
                    // the next round tries again
                }
            }
        });
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

    /** {@code kubectl rollout status}; when it times out, the failure shows what the set, its pods and revisions were. */
    static String rolloutStatus(Kubectl kubectl) {
        Kubectl.Result result = kubectl.run("rollout", "status", "daemonset/agent", "-n", "ds", "--timeout=90s");
        if (result.ok()) return result.out();
        StringBuilder state = new StringBuilder("kubectl rollout status daemonset/agent failed: " + result);
        for (String[] args : List.of(new String[]{"get", "daemonset", "agent", "-n", "ds", "-o", "yaml"},
                new String[]{"get", "pods,controllerrevisions,nodes", "-n", "ds", "-o", "wide", "--show-labels"},
                new String[]{"get", "events", "-n", "ds"})) {
            state.append("\n$ kubectl ").append(String.join(" ", args)).append('\n').append(kubectl.run(args));
        }
        throw new AssertionError(state.toString());
    }

    @Test
    void podPerNodeNodesComingAndGoingRollingUpdateHistoryAndUndo() throws Exception {
        Kubectl kubectl = cluster.kubectl();
        kubectl.ok("create", "namespace", "ds");
        node("ds-n1", "worker");
        node("ds-n2", "worker");
        node("ds-edge", "edge");
        try (var readiness = new PodReadiness(cluster.client(), "ds", p -> true)) {
            kubectl.runWithInput(MANIFEST, "apply", "-f", "-");
            assertThat(rolloutStatus(kubectl))
                    .contains("daemon set \"agent\" successfully rolled out");
            await(() -> imagesAre(Map.of("ds-n1", "agent:1", "ds-n2", "agent:1")));
            Pod pod = pods().getFirst();
            assertThat(pod.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                    .getNodeSelectorTerms().getFirst().getMatchFields().getFirst().getKey()).isEqualTo("metadata.name");
            assertThat(pod.getSpec().getTolerations()).anySatisfy(t -> assertThat(t.getKey()).isEqualTo("node.kubernetes.io/unreachable"));
            assertThat(kubectl.ok("get", "daemonset", "agent", "-n", "ds")).containsPattern("agent\\s+2\\s+2\\s+2\\s+2\\s+2\\s+role=worker");

            // A node joins: it gets its pod. A node leaves: its pod goes.
            node("ds-n3", "worker");
            await(() -> imagesAre(Map.of("ds-n1", "agent:1", "ds-n2", "agent:1", "ds-n3", "agent:1")));
            cluster.client().nodes().withName("ds-n2").delete();
            await(() -> imagesAre(Map.of("ds-n1", "agent:1", "ds-n3", "agent:1")));
            await(() -> {
                DaemonSet ds = cluster.client().apps().daemonSets().inNamespace("ds").withName("agent").get();
                return ds.getStatus().getDesiredNumberScheduled() == 2 && ds.getStatus().getNumberReady() == 2;
            });

            // A rolling update, one node at a time (maxUnavailable 1): never two nodes without a pod.
            kubectl.ok("set", "image", "daemonset/agent", "agent=agent:2", "-n", "ds");
            assertThat(rolloutStatus(kubectl)).contains("successfully rolled out");
            await(() -> imagesAre(Map.of("ds-n1", "agent:2", "ds-n3", "agent:2")));
            String history = kubectl.ok("rollout", "history", "daemonset/agent", "-n", "ds");
            assertThat(history).containsPattern("(?m)^1\\s").containsPattern("(?m)^2\\s");
            assertThat(kubectl.ok("rollout", "history", "daemonset/agent", "-n", "ds", "--revision=1")).contains("agent:1");

            assertThat(kubectl.ok("rollout", "undo", "daemonset/agent", "-n", "ds")).contains("rolled back");
            assertThat(rolloutStatus(kubectl)).contains("successfully rolled out");
            await(() -> imagesAre(Map.of("ds-n1", "agent:1", "ds-n3", "agent:1")));
            assertThat(kubectl.ok("rollout", "history", "daemonset/agent", "-n", "ds")).containsPattern("(?m)^3\\s");
            assertThat(kubectl.ok("describe", "daemonset", "agent", "-n", "ds")).contains("Created pod: agent-").contains("Deleted pod: agent-");
        }
    }
}
