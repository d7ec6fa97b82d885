package io.kube4j.scheduler.scheduling;

import io.kube4j.scheduler.algorithm.FitError;
import io.kube4j.scheduler.algorithm.ScheduleResult;
import io.kube4j.scheduler.algorithm.SchedulingAlgorithm;
import io.kube4j.scheduler.cache.SchedulerCache;
import io.kube4j.scheduler.cache.Snapshot;
import io.kube4j.scheduler.framework.ClusterEvent;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.Framework;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.PostFilterPlugin;
import io.kube4j.scheduler.framework.Status;
import io.kube4j.scheduler.queue.Nominator;
import io.kube4j.scheduler.queue.QueuedPod;
import io.kube4j.scheduler.queue.SchedulingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The scheduling loop, as kube-scheduler's {@code scheduleOne}: pop a pod; decide on a fresh snapshot; assume the
 * pod on the chosen node in the cache and reserve it; then bind on the binding executor, so the next pod is
 * decided while this one binds. A failed binding forgets the assumption, unreserves, and retries the pod after
 * backoff. A pod no node fits waits as unschedulable for a cluster event and gets a FailedScheduling event.
 *
 * <p>{@link #scheduleOne} runs on one thread at a time (it owns the snapshot and the algorithm's round-robin
 * state); bindings run concurrently on the executor.
 */
public final class Scheduler {

    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

    private final SchedulerCache cache;
    private final SchedulingQueue queue;
    private final Map<String, Framework> profiles;
    private final SchedulingAlgorithm algorithm;
    private final Executor binding;
    private final SchedulingEvents events;
    private final Nominator nominator;
    private final Snapshot snapshot = new Snapshot();

    /**
     * @param profiles  the frameworks by schedulerName; pods of other schedulers are not scheduled
     * @param binding   runs the binding cycles (a direct executor binds on the scheduling thread)
     */
    public Scheduler(SchedulerCache cache, SchedulingQueue queue, Map<String, Framework> profiles,
                     SchedulingAlgorithm algorithm, Executor binding, SchedulingEvents events) {
        this(cache, queue, profiles, algorithm, binding, events, new Nominator());
    }

    /** @param nominator the pods preemption nominated to nodes, shared with the informer feed */
    public Scheduler(SchedulerCache cache, SchedulingQueue queue, Map<String, Framework> profiles,
                     SchedulingAlgorithm algorithm, Executor binding, SchedulingEvents events, Nominator nominator) {
        this.nominator = nominator;
        this.cache = cache;
        this.queue = queue;
        this.profiles = Map.copyOf(profiles);
        this.algorithm = algorithm;
        this.binding = binding;
        this.events = events;
    }

    /** Whether some profile schedules pods of this schedulerName. */
    public boolean handles(String schedulerName) {
        return profiles.containsKey(schedulerName);
    }

    /**
     * Schedules the next pod, waiting up to {@code wait} for one.
     *
     * @return the outcome, or null when no pod came
     */
    public ScheduleResult scheduleOne(Duration wait) throws InterruptedException {
        QueuedPod queued = queue.pop(wait);
        if (queued == null) return null;
        long cycle = queue.schedulingCycle();
        PodInfo pod = queued.pod();
        Framework fwk = profiles.get(pod.schedulerName());
        if (fwk == null) {
            queue.done(pod.key());
            return null;
        }
        cache.updateSnapshot(snapshot);
        snapshot.setNominatedPods(nominator.byNode());
        CycleState state = new CycleState();
        ScheduleResult result;
        try {
            result = algorithm.schedule(fwk, state, pod, snapshot);
        } catch (RuntimeException e) {
            log.error("scheduling pod {} failed", pod.key(), e);
            result = new ScheduleResult.Failed(Status.error(e.toString()));
        }
        switch (result) {
            case ScheduleResult.Scheduled s -> assumeAndBind(fwk, state, queued, s.nodeName());
            case ScheduleResult.Unschedulable u -> {
                FitError error = u.error();
                PostFilterPlugin.Result post = fwk.runPostFilterPlugins(state, pod, error.nodeStatuses(), snapshot);
                if (post != null && post.status().isSuccess() && post.nominatedNode() != null) {
                    nominate(pod, post.nominatedNode());
                } else if (post != null && !post.status().isSuccess() && !post.status().reasons().isEmpty()) {
                    error = error.withPostFilterMessage(post.status().message());
                }
                queue.addUnschedulable(queued, error.unschedulablePlugins(), cycle);
                log.debug("pod {} is unschedulable: {}", pod.key(), error.message());
                events.failedScheduling(pod, error.message());
                result = new ScheduleResult.Unschedulable(error);
            }
            case ScheduleResult.Failed f -> {
                queue.addBackoff(queued);
                events.failedScheduling(pod, f.status().message());
            }
        }
        return result;
    }

    /** The pod waits for the room preemption makes on the node; lower-priority pods nominated there lose it. */
    private void nominate(PodInfo pod, String nodeName) {
        for (PodInfo other : snapshot.nominatedPods(nodeName)) {
            if (other.priority() < pod.priority()) nominator.remove(other.key());
        }
        nominator.nominate(pod, nodeName);
        log.info("pod {} preempted pods on {} and waits for the room", pod.key(), nodeName);
    }

    private void assumeAndBind(Framework fwk, CycleState state, QueuedPod queued, String nodeName) {
        PodInfo assumed = queued.pod().assumedOn(nodeName);
        nominator.remove(assumed.key());
        try {
            cache.assumePod(assumed, nodeName);
        } catch (IllegalStateException e) {
            // Already placed (bound by someone else meanwhile): nothing left to do for this pod.
            queue.done(assumed.key());
            return;
        }
        Status reserved = fwk.runReservePlugins(state, assumed, nodeName);
        if (!reserved.isSuccess()) {
            cache.forgetPod(assumed.key());
            queue.addBackoff(queued);
            events.failedScheduling(assumed, reserved.message());
            return;
        }
        binding.execute(() -> bind(fwk, state, queued, assumed, nodeName));
    }

    private void bind(Framework fwk, CycleState state, QueuedPod queued, PodInfo assumed, String nodeName) {
        Status bound;
        try {
            bound = fwk.runBindPlugins(state, assumed, nodeName);
        } catch (RuntimeException e) {
            bound = Status.error(e.toString());
        }
        if (bound.isSuccess()) {
            queue.done(assumed.key());
            events.scheduled(assumed, nodeName);
            return;
        }
        log.info("binding pod {} to {} failed: {}", assumed.key(), nodeName, bound.message());
        cache.forgetPod(assumed.key());
        fwk.runUnreservePlugins(state, assumed, nodeName);
        queue.addBackoff(queued);
        // What the pod held is free again: pods waiting for room may fit now.
        queue.onClusterEvent(ClusterEvent.POD_DELETE);
        events.failedScheduling(assumed, "Binding rejected: " + bound.message());
    }
}
