package io.kube4j.scheduler.scheduling;

import io.kube4j.scheduler.algorithm.ScheduleResult;
import io.kube4j.scheduler.algorithm.SchedulingAlgorithm;
import io.kube4j.scheduler.cache.SchedulerCache;
import io.kube4j.scheduler.config.ProfileFactory;
import io.kube4j.scheduler.config.SchedulerConfiguration;
import io.kube4j.scheduler.framework.BindPlugin;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.Framework;
import io.kube4j.scheduler.framework.Plugin;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.Status;
import io.kube4j.scheduler.plugins.PluginRegistry;
import io.kube4j.scheduler.plugins.defaultpreemption.DefaultPreemption;
import io.kube4j.scheduler.plugins.defaultpreemption.PreemptionActions;
import io.kube4j.scheduler.queue.Nominator;
import io.kube4j.scheduler.queue.SchedulingQueue;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.kube4j.scheduler.Objects.node;
import static io.kube4j.scheduler.Objects.requesting;
import static org.assertj.core.api.Assertions.assertThat;

/** The scheduling loop with a recording binder: assume, bind, forget on failure, events. */
class SchedulerTest {

    /** Records bindings; fails while {@code failing} is set. */
    static final class RecordingBinder implements BindPlugin {
        final Map<String, String> bound = new HashMap<>();
        final AtomicBoolean failing = new AtomicBoolean();

        @Override
        public String name() {
            return "RecordingBinder";
        }

        @Override
        public Status bind(CycleState state, PodInfo pod, String nodeName) {
            if (failing.get()) return Status.error("conflict");
            bound.put(pod.key(), nodeName);
            return Status.SUCCESS;
        }
    }

    static final class RecordingEvents implements SchedulingEvents {
        final List<String> events = new ArrayList<>();

        @Override
        public void scheduled(PodInfo pod, String nodeName) {
            events.add("Scheduled " + pod.key() + " " + nodeName);
        }

        @Override
        public void failedScheduling(PodInfo pod, String message) {
            events.add("FailedScheduling " + pod.key() + " " + message);
        }
    }

    private final AtomicLong now = new AtomicLong();
    private final RecordingBinder binder = new RecordingBinder();
    private final RecordingEvents events = new RecordingEvents();
    private final SchedulerCache cache = new SchedulerCache();
    private final PluginRegistry registry = new PluginRegistry().register(binder.name(), a -> binder);
    private final Map<String, Framework> profiles = new ProfileFactory(registry, List.of(binder.name()))
            .build(SchedulerConfiguration.defaults());
    private final SchedulingQueue queue = new SchedulingQueue(pluginEvents(), now::get,
            Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(5));
    private final Scheduler scheduler = new Scheduler(cache, queue, profiles,
            new SchedulingAlgorithm(0, null, 1, new SplittableRandom(1)), Runnable::run, events);

    private Map<String, java.util.Set<io.kube4j.scheduler.framework.ClusterEvent>> pluginEvents() {
        Map<String, java.util.Set<io.kube4j.scheduler.framework.ClusterEvent>> m = new HashMap<>();
        for (String name : PluginRegistry.DEFAULT_FILTERS) m.put(name, new PluginRegistry().create(name, null).eventsToRegister());
        return m;
    }

    @Test
    void fillsANodeThenLeavesTheNextPodPendingUntilRoomIsMade() throws InterruptedException {
        cache.addOrUpdateNode(node("a", "2", "4Gi", 110).build());
        for (String name : List.of("p1", "p2", "p3")) {
            queue.add(PodInfo.of(requesting(name, "1", "1Gi").build()));
            now.incrementAndGet();
        }
        scheduler.scheduleOne(Duration.ZERO);
        scheduler.scheduleOne(Duration.ZERO);
        ScheduleResult third = scheduler.scheduleOne(Duration.ZERO);
        assertThat(binder.bound).containsOnly(Map.entry("default/p1", "a"), Map.entry("default/p2", "a"));
        assertThat(third).isInstanceOf(ScheduleResult.Unschedulable.class);
        assertThat(events.events).containsExactly(
                "Scheduled default/p1 a", "Scheduled default/p2 a",
                "FailedScheduling default/p3 0/1 nodes are available: 1 Insufficient cpu.");
        assertThat(queue.whereIs("default/p3")).isEqualTo("unschedulable");

        // p1 goes away: its cpu is free and the waiting pod is retried (after its 1 s backoff).
        cache.removePod("default/p1");
        queue.onClusterEvent(io.kube4j.scheduler.framework.ClusterEvent.POD_DELETE);
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        queue.flushBackoffCompleted();
        assertThat(scheduler.scheduleOne(Duration.ZERO)).isInstanceOf(ScheduleResult.Scheduled.class);
        assertThat(binder.bound).containsEntry("default/p3", "a");
    }

    @Test
    void aFailedBindingIsForgottenAndRetried() throws InterruptedException {
        cache.addOrUpdateNode(node("a", "2", "4Gi", 110).build());
        queue.add(PodInfo.of(requesting("p", "2", "1Gi").build()));
        binder.failing.set(true);
        scheduler.scheduleOne(Duration.ZERO);
        assertThat(cache.nodeOf("default/p")).as("forgotten").isEmpty();
        assertThat(queue.whereIs("default/p")).isEqualTo("backoff");
        assertThat(events.events).containsExactly("FailedScheduling default/p Binding rejected: conflict");

        binder.failing.set(false);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        queue.flushBackoffCompleted();
        scheduler.scheduleOne(Duration.ZERO);
        assertThat(binder.bound).containsEntry("default/p", "a");
        assertThat(cache.isAssumed("default/p")).isTrue();
    }

    @Test
    void podsOfOtherSchedulersAreLeftAlone() throws InterruptedException {
        cache.addOrUpdateNode(node("a", "2", "4Gi", 110).build());
        queue.add(PodInfo.of(requesting("p", "1", "1Gi").editSpec().withSchedulerName("other").endSpec().build()));
        assertThat(scheduler.scheduleOne(Duration.ZERO)).isNull();
        assertThat(binder.bound).isEmpty();
        assertThat(scheduler.handles("other")).isFalse();
        assertThat(scheduler.handles("default-scheduler")).isTrue();
    }

    @Test
    void cordonThenUncordonRetriesTheWaitingPod() throws InterruptedException {
        cache.addOrUpdateNode(node("a", "2", "4Gi", 110).editSpec().withUnschedulable(true).endSpec().build());
        queue.add(PodInfo.of(requesting("p", "1", "1Gi").build()));
        scheduler.scheduleOne(Duration.ZERO);
        assertThat(events.events).containsExactly("FailedScheduling default/p 0/1 nodes are available: 1 node(s) were unschedulable.");
        queue.onClusterEvent(io.kube4j.scheduler.framework.ClusterEvent.POD_DELETE);
        assertThat(queue.whereIs("default/p")).as("a pod deletion does not uncordon").isEqualTo("unschedulable");
        cache.addOrUpdateNode(node("a", "2", "4Gi", 110).build());
        queue.onClusterEvent(io.kube4j.scheduler.framework.ClusterEvent.NODE_UPDATE);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        queue.flushBackoffCompleted();
        scheduler.scheduleOne(Duration.ZERO);
        assertThat(binder.bound).containsEntry("default/p", "a");
    }

    @Test
    void unusedPluginTypesStayOut() {
        Plugin p = registry.create("RecordingBinder", null);
        assertThat(p).isSameAs(binder);
    }

    @Test
    void aPreemptorKeepsTheRoomItMadeFromLowerPriorityPods() throws InterruptedException {
        List<String> preempted = new ArrayList<>();
        PreemptionActions actions = (preemptor, node, victims, displaced) -> {
            preempted.add(preemptor.name() + "@" + node + " " + victims.stream().map(PodInfo::name).toList());
            return Status.SUCCESS;
        };
        PluginRegistry withPreemption = new PluginRegistry().register(binder.name(), a -> binder)
                .register(DefaultPreemption.NAME, a -> new DefaultPreemption(actions));
        Nominator nominator = new Nominator();
        Scheduler preempting = new Scheduler(cache, queue,
                new ProfileFactory(withPreemption, List.of(binder.name()), List.of(DefaultPreemption.NAME))
                        .build(SchedulerConfiguration.defaults()),
                new SchedulingAlgorithm(0, null, 1, new SplittableRandom(1)), Runnable::run, events, nominator);
        cache.addOrUpdateNode(node("a", "2", "4Gi", 110).build());
        cache.addPod(requesting("low", "2", "1Gi").editSpec().withNodeName("a").withPriority(0).endSpec().build());

        queue.add(PodInfo.of(requesting("high", "2", "1Gi").editSpec().withPriority(100).endSpec().build()));
        assertThat(preempting.scheduleOne(Duration.ZERO)).isInstanceOf(ScheduleResult.Unschedulable.class);
        assertThat(preempted).containsExactly("high@a [low]");
        assertThat(nominator.nominatedNode("default/high")).isEqualTo("a");

        // The victim goes; a lower-priority pod that comes first must not take the room held for the preemptor.
        cache.removePod("default/low");
        queue.onClusterEvent(io.kube4j.scheduler.framework.ClusterEvent.POD_DELETE);
        queue.add(PodInfo.of(requesting("sneaky", "1", "1Gi").build()));
        assertThat(preempting.scheduleOne(Duration.ZERO)).isInstanceOf(ScheduleResult.Unschedulable.class);
        assertThat(events.events).last().asString().startsWith("FailedScheduling default/sneaky 0/1 nodes are available: 1 Insufficient cpu.");
        assertThat(binder.bound).isEmpty();

        now.addAndGet(Duration.ofSeconds(2).toNanos());
        queue.flushBackoffCompleted();
        assertThat(preempting.scheduleOne(Duration.ZERO)).isInstanceOf(ScheduleResult.Scheduled.class);
        assertThat(binder.bound).containsOnly(Map.entry("default/high", "a"));
        assertThat(nominator.nominatedNode("default/high")).as("a bound pod holds no nomination").isNull();
    }
}
