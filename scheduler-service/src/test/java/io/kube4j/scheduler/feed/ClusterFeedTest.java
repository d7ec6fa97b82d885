package io.kube4j.scheduler.feed;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kube4j.scheduler.cache.SchedulerCache;
import io.kube4j.scheduler.framework.ClusterEvent;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.queue.SchedulingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static io.kube4j.scheduler.Objects.node;
import static io.kube4j.scheduler.Objects.requesting;
import static org.assertj.core.api.Assertions.assertThat;

/** Informer events turned into cache and queue state. */
class ClusterFeedTest {

    private final SchedulerCache cache = new SchedulerCache();
    private final SchedulingQueue queue = new SchedulingQueue(
            Map.of("NodeResourcesFit", EnumSet.of(ClusterEvent.POD_DELETE, ClusterEvent.NODE_ADD),
                    "NodeAffinity", EnumSet.of(ClusterEvent.NODE_ADD, ClusterEvent.NODE_UPDATE)),
            System::nanoTime, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(5));
    private final ClusterFeed feed = new ClusterFeed(cache, queue, "default-scheduler"::equals);

    private static Pod pending(String name) {
        return requesting(name, "1", "1Gi").build();
    }

    private static Pod bound(Pod p, String node) {
        return new PodBuilder(p).editSpec().withNodeName(node).endSpec().build();
    }

    @Test
    void pendingPodsOfThisSchedulerAreQueuedOthersNot() {
        feed.podAdded(pending("mine"));
        feed.podAdded(new PodBuilder(pending("theirs")).editSpec().withSchedulerName("other").endSpec().build());
        feed.podAdded(new PodBuilder(pending("done")).withNewStatus().withPhase("Succeeded").endStatus().build());
        feed.podAdded(new PodBuilder(pending("going")).editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata().build());
        assertThat(queue.whereIs("default/mine")).isEqualTo("active");
        assertThat(queue.whereIs("default/theirs")).isNull();
        assertThat(queue.whereIs("default/done")).isNull();
        assertThat(queue.whereIs("default/going")).isNull();
    }

    @Test
    void aBoundPodLeavesTheQueueAndEntersTheCache() {
        cache.addOrUpdateNode(node("a"));
        Pod p = pending("p");
        feed.podAdded(p);
        feed.podUpdated(p, bound(p, "a"));
        assertThat(queue.whereIs("default/p")).isNull();
        assertThat(cache.nodeOf("default/p")).contains("a");
    }

    @Test
    void anAssumedPodIsNotQueuedAgainByALateUpdate() throws InterruptedException {
        cache.addOrUpdateNode(node("a"));
        Pod p = pending("p");
        feed.podAdded(p);
        var popped = queue.pop(Duration.ZERO);
        cache.assumePod(popped.pod().assumedOn("a"), "a");
        queue.done(popped.key());
        feed.podUpdated(p, new PodBuilder(p).editMetadata().addToAnnotations("x", "y").endMetadata().build());
        assertThat(queue.whereIs("default/p")).isNull();
    }

    @Test
    void aStatusChangeOfAWaitingPodDoesNotRetryItButALabelChangeDoes() throws InterruptedException {
        Pod p = pending("p");
        feed.podAdded(p);
        var popped = queue.pop(Duration.ZERO);
        queue.addUnschedulable(popped, Set.of("NodeAffinity"), queue.schedulingCycle());
        Pod withCondition = new PodBuilder(p).withNewStatus().addNewCondition().withType("PodScheduled")
                .withStatus("False").withReason("Unschedulable").endCondition().endStatus().build();
        feed.podUpdated(p, withCondition);
        assertThat(queue.whereIs("default/p")).isEqualTo("unschedulable");
        feed.podUpdated(withCondition, new PodBuilder(withCondition).editMetadata().addToLabels("x", "y").endMetadata().build());
        assertThat(queue.whereIs("default/p")).isEqualTo("active");
    }

    record Case(String name, UnaryOperator<NodeBuilder> change, boolean relevant) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> nodeChanges() {
        return Stream.of(
                new Case("a heartbeat", b -> b.editStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus(), false),
                new Case("a label", b -> b.editMetadata().addToLabels("disk", "ssd").endMetadata(), true),
                new Case("a taint", b -> b.editSpec().addNewTaint().withKey("k").withEffect("NoSchedule").endTaint().endSpec(), true),
                new Case("cordon", b -> b.editSpec().withUnschedulable(true).endSpec(), true),
                new Case("allocatable", b -> b.editStatus().addToAllocatable("cpu", new io.fabric8.kubernetes.api.model.Quantity("8")).endStatus(), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeChanges")
    void onlySchedulingRelevantNodeChangesRetryWaitingPods(Case c) throws InterruptedException {
        Node old = node("a");
        Node changed = c.change().apply(new NodeBuilder(old)).build();
        assertThat(ClusterFeed.schedulingRelevantChange(old, changed)).isEqualTo(c.relevant());

        feed.nodeAdded(old);
        feed.podAdded(pending("p"));
        var popped = queue.pop(Duration.ZERO);
        queue.addUnschedulable(popped, Set.of("NodeAffinity"), queue.schedulingCycle());
        feed.nodeUpdated(old, changed);
        assertThat(queue.whereIs("default/p")).isEqualTo(c.relevant() ? "active" : "unschedulable");
    }

    @Test
    void deletingOrFinishingABoundPodFreesItsNodeAndRetriesWaitingPods() throws InterruptedException {
        cache.addOrUpdateNode(node("a"));
        Pod running = bound(pending("r"), "a");
        feed.podAdded(running);
        feed.podAdded(pending("w"));
        var waiting = queue.pop(Duration.ZERO);
        queue.addUnschedulable(waiting, Set.of("NodeResourcesFit"), queue.schedulingCycle());

        feed.podUpdated(running, new PodBuilder(running).withNewStatus().withPhase("Succeeded").endStatus().build());
        assertThat(cache.nodeOf("default/r")).isEmpty();
        assertThat(queue.whereIs("default/w")).isEqualTo("active");

        Pod other = bound(pending("o"), "a");
        feed.podAdded(other);
        feed.podDeleted(other);
        assertThat(cache.nodeOf("default/o")).isEmpty();
        assertThat(PodInfo.of(other).key()).isEqualTo("default/o");
    }
}
