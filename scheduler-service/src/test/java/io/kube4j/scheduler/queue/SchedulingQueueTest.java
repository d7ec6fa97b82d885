package io.kube4j.scheduler.queue;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kube4j.scheduler.framework.ClusterEvent;
import io.kube4j.scheduler.framework.PodInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The scheduling queue on a fake clock: order, backoff, retry on events, the five-minute flush. */
class SchedulingQueueTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final SchedulingQueue queue = new SchedulingQueue(
            Map.of("NodeResourcesFit", EnumSet.of(ClusterEvent.NODE_ADD, ClusterEvent.POD_DELETE),
                    "NodeAffinity", EnumSet.of(ClusterEvent.NODE_ADD, ClusterEvent.NODE_UPDATE)),
            now::get, Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(5));

    private static PodInfo pod(String name, int priority) {
        return PodInfo.of(new PodBuilder(io.kube4j.scheduler.Objects.pod(name)).editSpec().withPriority(priority).endSpec().build());
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    private String popName() throws InterruptedException {
        QueuedPod q = queue.pop(Duration.ZERO);
        return q == null ? null : q.pod().name();
    }

    @Test
    void higherPriorityFirstThenOlderFirst() throws InterruptedException {
        queue.add(pod("low-old", 0));
        advance(Duration.ofMillis(1));
        queue.add(pod("high", 100));
        advance(Duration.ofMillis(1));
        queue.add(pod("low-new", 0));
        assertThat(popName()).isEqualTo("high");
        assertThat(popName()).isEqualTo("low-old");
        assertThat(popName()).isEqualTo("low-new");
        assertThat(popName()).isNull();
    }

    @ParameterizedTest(name = "attempt {0} → {1} ms")
    @CsvSource({"1, 1000", "2, 2000", "3, 4000", "4, 8000", "5, 10000", "12, 10000"})
    void backoffDoublesFromOneSecondToTen(int attempts, long millis) {
        assertThat(queue.backoffNanos(attempts)).isEqualTo(Duration.ofMillis(millis).toNanos());
    }

    @Test
    void aFailedPodWaitsOutItsBackoff() throws InterruptedException {
        queue.add(pod("p", 0));
        QueuedPod q = queue.pop(Duration.ZERO);
        queue.addBackoff(q);
        assertThat(queue.whereIs(q.key())).isEqualTo("backoff");
        advance(Duration.ofMillis(999));
        queue.flushBackoffCompleted();
        assertThat(popName()).isNull();
        advance(Duration.ofMillis(2));
        queue.flushBackoffCompleted();
        QueuedPod again = queue.pop(Duration.ZERO);
        assertThat(again.attempts()).isEqualTo(2);
        queue.addBackoff(again);
        advance(Duration.ofMillis(1500));
        queue.flushBackoffCompleted();
        assertThat(queue.whereIs(q.key())).as("second backoff is 2 s").isEqualTo("backoff");
        advance(Duration.ofMillis(600));
        queue.flushBackoffCompleted();
        assertThat(queue.whereIs(q.key())).isEqualTo("active");
    }

    @Test
    void unschedulablePodsMoveOnlyOnEventsTheirPluginsCareAbout() throws InterruptedException {
        queue.add(pod("p", 0));
        QueuedPod q = queue.pop(Duration.ZERO);
        queue.addUnschedulable(q, Set.of("NodeResourcesFit"), queue.schedulingCycle());
        assertThat(queue.whereIs(q.key())).isEqualTo("unschedulable");
        advance(Duration.ofSeconds(30));
        queue.flushBackoffCompleted();
        queue.onClusterEvent(ClusterEvent.NODE_UPDATE);
        assertThat(queue.whereIs(q.key())).as("a label change does not free cpu").isEqualTo("unschedulable");
        queue.onClusterEvent(ClusterEvent.POD_DELETE);
        assertThat(queue.whereIs(q.key())).isEqualTo("active");
    }

    @Test
    void anEventDuringBackoffSendsThePodToBackoff() throws InterruptedException {
        queue.add(pod("p", 0));
        QueuedPod q = queue.pop(Duration.ZERO);
        queue.addUnschedulable(q, Set.of("NodeAffinity"), queue.schedulingCycle());
        advance(Duration.ofMillis(100));
        queue.onClusterEvent(ClusterEvent.NODE_UPDATE);
        assertThat(queue.whereIs(q.key())).isEqualTo("backoff");
        advance(Duration.ofSeconds(1));
        queue.flushBackoffCompleted();
        assertThat(queue.whereIs(q.key())).isEqualTo("active");
    }

    @Test
    void anEventWhileThePodWasBeingScheduledRetriesIt() throws InterruptedException {
        queue.add(pod("p", 0));
        QueuedPod q = queue.pop(Duration.ZERO);
        long cycle = queue.schedulingCycle();
        queue.onClusterEvent(ClusterEvent.NODE_ADD); // arrives mid-cycle, before the pod is found unschedulable
        queue.addUnschedulable(q, Set.of("NodeAffinity"), cycle);
        assertThat(queue.whereIs(q.key())).isEqualTo("backoff");
    }

    @Test
    void podsUnschedulableForFiveMinutesAreRetriedAnyway() throws InterruptedException {
        queue.add(pod("p", 0));
        QueuedPod q = queue.pop(Duration.ZERO);
        queue.addUnschedulable(q, Set.of("NodeAffinity"), queue.schedulingCycle());
        advance(Duration.ofMinutes(4));
        queue.flushUnschedulableLeftover();
        assertThat(queue.whereIs(q.key())).isEqualTo("unschedulable");
        advance(Duration.ofMinutes(1).plusSeconds(1));
        queue.flushUnschedulableLeftover();
        assertThat(queue.whereIs(q.key())).isEqualTo("active");
    }

    @Test
    void anUpdateOfTheWaitingPodRetriesIt() throws InterruptedException {
        queue.add(pod("p", 0));
        QueuedPod q = queue.pop(Duration.ZERO);
        queue.addUnschedulable(q, Set.of("NodeAffinity"), queue.schedulingCycle());
        advance(Duration.ofSeconds(5));
        queue.add(PodInfo.of(new PodBuilder(io.kube4j.scheduler.Objects.pod("p")).editMetadata().addToLabels("x", "y").endMetadata().build()));
        QueuedPod again = queue.pop(Duration.ZERO);
        assertThat(again.pod().labels()).containsEntry("x", "y");
    }

    @Test
    void deletedPodsLeaveWhereverTheyAre() throws InterruptedException {
        queue.add(pod("a", 0));
        queue.add(pod("b", 0));
        QueuedPod a = queue.pop(Duration.ZERO);
        queue.addUnschedulable(a, Set.of(), queue.schedulingCycle());
        queue.delete(a.key());
        queue.delete("default/b");
        assertThat(queue.sizes()).containsExactly(0, 0, 0, 0);
        assertThat(popName()).isNull();
    }

    @Test
    void closeWakesAWaitingPop() throws Exception {
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException ignored) {
            }
            queue.close();
        });
        assertThat(queue.pop(Duration.ofMinutes(1))).isNull();
        t.join();
    }
}
