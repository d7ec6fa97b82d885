package io.kube4j.controller.podgc;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kube4j.machinery.client.FakeObjectClient;
import io.kube4j.machinery.controller.Result;
import io.kube4j.machinery.informer.IndexedCache;
import io.kube4j.testsupport.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PodGarbageCollectorTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final MutableClock clock = new MutableClock(T0);
    final IndexedCache<Node> nodes = new IndexedCache<>();
    final IndexedCache<Pod> pods = new IndexedCache<>();
    final FakeObjectClient objects = new FakeObjectClient();
    final List<String> removed = new ArrayList<>();
    final PodGarbageCollector collector = new PodGarbageCollector(pods, nodes, objects,
            pod -> removed.add(pod.getMetadata().getName()), new PodGcProperties(3, Duration.ofSeconds(20), Duration.ofSeconds(40)), clock);

    Node node(String name, boolean ready, boolean outOfService) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().endSpec()
                .withNewStatus().addNewCondition().withType("Ready").withStatus(ready ? "True" : "Unknown").endCondition().endStatus();
        if (outOfService) b.editSpec().addNewTaint().withKey(PodGcPlan.OUT_OF_SERVICE).withValue("nodeshutdown").withEffect("NoExecute").endTaint().endSpec();
        return b.build();
    }

    static Pod pod(String name, String node, String phase, boolean terminating, int createdSecond) {
        PodBuilder b = new PodBuilder().withNewMetadata().withNamespace("ns").withName(name)
                .withCreationTimestamp(T0.plusSeconds(createdSecond).toString()).endMetadata()
                .withNewSpec().withNodeName(node).endSpec().withNewStatus().withPhase(phase).endStatus();
        if (terminating) b.editMetadata().withDeletionTimestamp(T0.toString()).endMetadata();
        return b.build();
    }

    void seed(Pod... list) {
        for (Pod p : list) pods.put(objects.seed(p));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // case,                              node, node ready, out of service, terminating, removed
            "running pod on a healthy node,      n1,   true,       false,          false,       false",
            "terminating pod on a healthy node,  n1,   true,       false,          true,        false",
            "terminating on out-of-service node, n1,   false,      true,           true,        true",
            "running on out-of-service node,     n1,   false,      true,           false,       false",
            "terminating and tainted but Ready,   n1,   true,       true,           true,        false",
            "terminating and never scheduled,     '',   true,       false,          true,        true",
            "pending and never scheduled,         '',   true,       false,          false,       false",
    })
    void terminatingPodsGoOnlyWhereKubeRemovesThem(String name, String nodeName, boolean ready, boolean outOfService, boolean terminating, boolean gone) {
        nodes.put(node("n1", ready, outOfService));
        seed(pod("p", nodeName.isEmpty() ? null : nodeName, "Running", terminating, 0));

        collector.reconcile(PodGarbageCollector.KEY);

        assertThat(removed).isEqualTo(gone ? List.of("p") : List.of());
    }

    @Test
    void terminatedPodsBeyondTheThresholdGoOldestFirst() {
        nodes.put(node("n1", true, false));
        seed(pod("done-4", "n1", "Succeeded", false, 4), pod("done-1", "n1", "Failed", false, 1),
                pod("done-3", "n1", "Succeeded", false, 3), pod("done-2", "n1", "Succeeded", false, 2),
                pod("done-5", "n1", "Failed", false, 5), pod("running", "n1", "Running", false, 0));

        collector.reconcile(PodGarbageCollector.KEY);

        assertThat(removed).containsExactly("done-1", "done-2");
    }

    @Test
    void podsOfAMissingNodeAreFailedAndRemovedOnlyAfterTheQuarantineAndAConfirmingRead() {
        seed(pod("orphan", "gone", "Running", false, 0), pod("finished", "gone", "Succeeded", false, 0));

        Result first = collector.reconcile(PodGarbageCollector.KEY);
        assertThat(removed).isEmpty();
        assertThat(first.requeueAfter()).isEqualTo(Duration.ofSeconds(20));

        clock.set(T0.plusSeconds(30));
        Result second = collector.reconcile(PodGarbageCollector.KEY);
        assertThat(removed).isEmpty();
        assertThat(second.requeueAfter()).isEqualTo(Duration.ofSeconds(10));

        // The cache has not seen the node yet, but the gateway has it: nothing happens.
        objects.seed(node("gone", true, false));
        clock.set(T0.plusSeconds(40));
        collector.reconcile(PodGarbageCollector.KEY);
        assertThat(removed).isEmpty();

        objects.delete(Node.class, null, "gone", null, null);
        collector.reconcile(PodGarbageCollector.KEY);
        assertThat(removed).containsExactlyInAnyOrder("orphan", "finished");
        Pod failed = objects.get(Pod.class, "ns", "orphan").orElseThrow();
        assertThat(failed.getStatus().getPhase()).isEqualTo("Failed");
        assertThat(failed.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("DisruptionTarget");
            assertThat(c.getReason()).isEqualTo("DeletionByPodGC");
            assertThat(c.getMessage()).isEqualTo("PodGC: node no longer exists");
        });
        assertThat(objects.get(Pod.class, "ns", "finished").orElseThrow().getStatus().getPhase()).isEqualTo("Succeeded");
    }

    @Test
    void aNodeThatComesBackStartsAFreshQuarantineWhenItGoesAgain() {
        seed(pod("p", "n1", "Running", false, 0));
        collector.reconcile(PodGarbageCollector.KEY);             // n1 missing since T0
        nodes.put(node("n1", true, false));
        clock.set(T0.plusSeconds(30));
        collector.reconcile(PodGarbageCollector.KEY);             // back: forgotten
        nodes.remove("n1");
        clock.set(T0.plusSeconds(50));
        Result result = collector.reconcile(PodGarbageCollector.KEY);

        assertThat(removed).isEmpty();
        assertThat(result.requeueAfter()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void thePlanIsPureAndKeepsNothingItWasNotGiven() {
        PodGcPlan plan = PodGcPlan.plan(List.of(pod("p", "x", "Running", false, 0)), Map.of(), Map.of("y", T0), 0, Duration.ofSeconds(40), T0.plusSeconds(5));
        assertThat(plan.missingSince()).containsOnlyKeys("x").containsEntry("x", T0.plusSeconds(5));
        assertThat(plan.deleteTerminated()).isEmpty();
        assertThat(plan.nextSweep()).isEqualTo(Duration.ofSeconds(40));
    }
}
