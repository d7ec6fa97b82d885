package io.kube4j.controller.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.kube4j.machinery.client.FakeObjectClient;
import io.kube4j.machinery.controller.Result;
import io.kube4j.machinery.events.RecordingEventRecorder;
import io.kube4j.machinery.informer.IndexedCache;
import io.kube4j.testsupport.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class NodeMonitorTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** A clock the test moves. */
    final MutableClock clock = new MutableClock(T0);
    final Map<String, Instant> beats = new HashMap<>();
    final IndexedCache<Node> nodes = new IndexedCache<>();
    final IndexedCache<Pod> pods = new IndexedCache<Pod>().addIndex(NodeMonitor.NODE_INDEX, NodeMonitor::nodeOf);
    final FakeObjectClient objects = new FakeObjectClient();
    final RecordingEventRecorder events = new RecordingEventRecorder();
    final NodeMonitor monitor = new NodeMonitor(nodes, pods, name -> Optional.ofNullable(beats.get(name)), objects, events,
            NodeLifecycleProperties.defaults(), clock);

    void node(String readyStatus) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName("n1").withCreationTimestamp(T0.toString()).endMetadata().withNewSpec().endSpec();
        if (readyStatus != null) {
            b.withNewStatus().addNewCondition().withType("Ready").withStatus(readyStatus).withReason("KubeletReady")
                    .withLastHeartbeatTime(T0.toString()).withLastTransitionTime(T0.toString()).endCondition().endStatus();
        }
        nodes.put(objects.seed(b.build()));
    }

    Pod pod(String name, Long tolerationSeconds, boolean tolerate) {
        PodBuilder b = new PodBuilder().withNewMetadata().withNamespace("ns").withName(name).endMetadata()
                .withNewSpec().withNodeName("n1").endSpec()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus();
        if (tolerate) {
            b.editSpec().addNewToleration().withKey(NodeMonitor.UNREACHABLE).withOperator("Exists").withEffect("NoExecute")
                    .withTolerationSeconds(tolerationSeconds).endToleration().endSpec();
        }
        Pod stored = objects.seed(b.build());
        pods.put(stored);
        return stored;
    }

    /** Copies what the fake gateway holds into the caches, as the informers would. */
    void sync() {
        objects.list(Node.class).forEach(nodes::put);
        for (Pod p : new ArrayList<>(pods.list())) pods.remove(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName());
        objects.list(Pod.class).forEach(pods::put);
    }

    Node stored() {
        return objects.get(Node.class, null, "n1").orElseThrow();
    }

    static String ready(Node node) {
        NodeCondition c = node.getStatus().getConditions().stream().filter(x -> x.getType().equals("Ready")).findFirst().orElseThrow();
        return c.getStatus() + "/" + c.getReason();
    }

    static List<String> taints(Node node) {
        return node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints().stream().map(t -> t.getKey() + ":" + t.getEffect()).toList();
    }

    @Test
    void aSilentNodeBecomesUnknownAndUnreachableAndComesBackWhenItBeats() {
        node("True");
        pod("web", 300L, true);
        beats.put("n1", T0);
        monitor.reconcile("n1");
        monitor.reconcile("n1");
        assertThat(ready(stored())).isEqualTo("True/KubeletReady");
        assertThat(events.events()).containsExactly("Normal RegisteredNode n1: Node n1 event: Registered Node n1 in Controller");

        clock.set(T0.plusSeconds(41));
        Result result = monitor.reconcile("n1");
        Node silent = stored();
        assertThat(ready(silent)).isEqualTo("Unknown/NodeStatusUnknown");
        assertThat(silent.getStatus().getConditions()).extracting(NodeCondition::getType)
                .containsExactlyInAnyOrder("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");
        assertThat(taints(silent)).containsExactlyInAnyOrder(NodeMonitor.UNREACHABLE + ":NoSchedule", NodeMonitor.UNREACHABLE + ":NoExecute");
        assertThat(objects.get(Pod.class, "ns", "web").orElseThrow().getStatus().getConditions().getFirst().getStatus()).isEqualTo("False");
        assertThat(events.events()).contains("Normal NodeNotReady n1: Node n1 status is now: NodeNotReady",
                "Warning NodeNotReady ns/web: Node is not ready");
        assertThat(result.requeueAfter()).isEqualTo(Duration.ofSeconds(5));
        sync();

        beats.put("n1", clock.instant().plusSeconds(1));
        clock.set(clock.instant().plusSeconds(2));
        monitor.reconcile("n1");
        Node back = stored();
        assertThat(ready(back)).isEqualTo("True/KubeletReady");
        assertThat(taints(back)).isEmpty();
        assertThat(objects.list(Pod.class)).hasSize(1);
    }

    static String podReady(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) return "none";
        return pod.getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready")).map(c -> c.getStatus()).findFirst().orElse("none");
    }

    /** A pod bound to n1 that the store holds with Ready=True. */
    Pod readyPodInStore(String name) {
        return objects.seed(new PodBuilder().withNewMetadata().withNamespace("ns").withName(name).endMetadata()
                .withNewSpec().withNodeName("n1").endSpec()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build());
    }

    /**
     * However the pod cache stands at the pass that turns the node Unknown (lagging behind the
     * store, or holding a version the store has since replaced), the pod ends NotReady within the
     * passes that follow while the node stays Unknown.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "the pod reaches the cache only after the node turned Unknown | absent",
            "the cache holds the pod before its status said Ready         | unready",
            "the cache holds an older version of the ready pod (conflict) | stale",
            "the cache holds the ready pod as stored                      | current",
    })
    void podsOfANodeThatIsNotReadyEndNotReadyWhateverTheCacheHeld(String name, String cached) {
        node("True");
        beats.put("n1", T0);
        Pod stored = readyPodInStore("web");
        switch (cached) {
            case "absent" -> { }
            case "unready" -> {
                Pod early = objects.get(Pod.class, "ns", "web").orElseThrow();
                early.getStatus().setConditions(List.of());
                pods.put(early);
            }
            case "stale" -> {
                pods.put(stored);
                Pod relabelled = objects.get(Pod.class, "ns", "web").orElseThrow();
                relabelled.getMetadata().setLabels(Map.of("app", "web"));
                objects.update(relabelled);
            }
            default -> pods.put(stored);
        }
        monitor.reconcile("n1");

        clock.set(T0.plusSeconds(41));
        monitor.reconcile("n1");
        assertThat(ready(stored())).isEqualTo("Unknown/NodeStatusUnknown");
        sync();
        clock.set(T0.plusSeconds(46));
        monitor.reconcile("n1");

        assertThat(podReady(objects.get(Pod.class, "ns", "web").orElseThrow())).isEqualTo("False");
        assertThat(events.events()).containsOnlyOnce("Warning NodeNotReady ns/web: Node is not ready");
    }

    /** A Ready pod "web" on node n1, whose last heartbeat was 41 s ago: past the grace period, n1 is marked not ready. */
    private void readyPodOnANodeSilentFor41Seconds() {
        node("True");
        beats.put("n1", T0);
        pods.put(readyPodInStore("web"));
        monitor.reconcile("n1");
        clock.set(T0.plusSeconds(41));
        monitor.reconcile("n1");
    }

    @Test
    void aPodThatTurnsReadyOnANodeThatIsNotReadyIsMarkedAgain() {
        readyPodOnANodeSilentFor41Seconds();
        sync();
        assertThat(podReady(objects.get(Pod.class, "ns", "web").orElseThrow())).isEqualTo("False");

        // a late status write from the silent node's agent says Ready again
        Pod late = objects.get(Pod.class, "ns", "web").orElseThrow();
        late.getStatus().getConditions().getFirst().setStatus("True");
        objects.updateStatus(late);
        sync();
        clock.set(T0.plusSeconds(46));
        monitor.reconcile("n1");
        assertThat(podReady(objects.get(Pod.class, "ns", "web").orElseThrow())).isEqualTo("False");
    }

    @Test
    void podsAlreadyNotReadyAreNotWrittenAgain() {
        readyPodOnANodeSilentFor41Seconds();

        // the pod cache has not yet seen the write that marked the pod NotReady
        objects.list(Node.class).forEach(nodes::put);
        clock.set(T0.plusSeconds(46));
        objects.clearActions();
        monitor.reconcile("n1");
        sync();
        clock.set(T0.plusSeconds(51));
        monitor.reconcile("n1");
        assertThat(objects.actions()).noneMatch(a -> a.contains("Pod"));
        assertThat(events.events()).containsOnlyOnce("Warning NodeNotReady ns/web: Node is not ready");
    }

    @Test
    void aNodeReportingNotReadyHasItsReadyPodsMarkedNotReady() {
        node("False");
        beats.put("n1", T0);
        pods.put(readyPodInStore("web"));
        monitor.reconcile("n1");
        assertThat(podReady(objects.get(Pod.class, "ns", "web").orElseThrow())).isEqualTo("False");
    }

    @Test
    void aNodeThatNeverPostedGetsNeverUpdatedConditions() {
        node(null);
        monitor.reconcile("n1");
        clock.set(T0.plusSeconds(60));
        monitor.reconcile("n1");
        NodeCondition c = stored().getStatus().getConditions().stream().filter(x -> x.getType().equals("Ready")).findFirst().orElseThrow();
        assertThat(c.getStatus() + " " + c.getReason() + " " + c.getMessage()).isEqualTo("Unknown NodeStatusNeverUpdated Kubelet never posted node status.");
    }

    @Test
    void aNodeReportingNotReadyGetsTheNotReadyTaints() {
        node("False");
        beats.put("n1", T0);
        monitor.reconcile("n1");
        assertThat(taints(stored())).containsExactlyInAnyOrder(NodeMonitor.NOT_READY + ":NoSchedule", NodeMonitor.NOT_READY + ":NoExecute");
    }

    @Test
    void podsAreEvictedWhenTheirTolerationRunsOut() {
        node("True");
        pod("short", 10L, true);
        pod("forever", null, true);
        pod("default", null, false);
        beats.put("n1", T0);
        monitor.reconcile("n1");
        clock.set(T0.plusSeconds(41));
        monitor.reconcile("n1");
        sync();

        clock.set(T0.plusSeconds(45));
        Result wait = monitor.reconcile("n1");
        assertThat(wait.requeueAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(objects.list(Pod.class)).hasSize(3);

        clock.set(T0.plusSeconds(51));
        objects.clearActions();
        monitor.reconcile("n1");
        assertThat(objects.actions()).containsExactly("delete Pod ns/short");
        assertThat(events.events()).contains("Normal TaintManagerEviction ns/short: Marking for deletion Pod ns/short");
        sync();

        clock.set(T0.plusSeconds(41 + 300));
        objects.clearActions();
        monitor.reconcile("n1");
        assertThat(objects.actions()).containsExactly("delete Pod ns/default");
    }

    @Test
    void aDeletedNodeIsReportedRemoved() {
        node("True");
        monitor.reconcile("n1");
        nodes.remove("n1");
        monitor.reconcile("n1");
        assertThat(events.events()).last().isEqualTo("Normal RemovingNode n1: Node n1 event: Removing Node n1 from Controller");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no toleration: the default                    | ''                                           | 2026-01-01T00:05:00Z",
            "a matching toleration's seconds                | node.kubernetes.io/unreachable:Exists:NoExecute:30 | 2026-01-01T00:00:30Z",
            "a matching toleration without seconds: never   | node.kubernetes.io/unreachable:Exists:NoExecute:-  | never",
            "an empty key with Exists tolerates everything  | :Exists::-                                   | never",
            "a toleration of another key does not match     | other:Exists:NoExecute:-                     | 2026-01-01T00:05:00Z",
            "a NoSchedule toleration does not match         | node.kubernetes.io/unreachable:Exists:NoSchedule:- | 2026-01-01T00:05:00Z",
            "the shortest of two matching tolerations       | node.kubernetes.io/unreachable:Exists:NoExecute:60,node.kubernetes.io/unreachable:Exists::20 | 2026-01-01T00:00:20Z",
    })
    void evictionTimes(String name, String tolerations, String expected) {
        List<Toleration> list = new ArrayList<>();
        if (!tolerations.isEmpty()) {
            for (String t : tolerations.split(",")) {
                String[] f = t.split(":", -1);
                list.add(new TolerationBuilder().withKey(f[0].isEmpty() ? null : f[0]).withOperator(f[1])
                        .withEffect(f[2].isEmpty() ? null : f[2]).withTolerationSeconds(f[3].equals("-") ? null : Long.parseLong(f[3])).build());
            }
        }
        Pod pod = new PodBuilder().withNewSpec().withTolerations(list).endSpec().build();
        Taint taint = new TaintBuilder().withKey(NodeMonitor.UNREACHABLE).withEffect("NoExecute").withTimeAdded(T0.toString()).build();
        Optional<Instant> due = NodeMonitor.evictionTime(pod, List.of(taint), Duration.ofSeconds(300), T0);
        assertThat(due.map(Instant::toString).orElse("never")).isEqualTo(expected);
    }
}
