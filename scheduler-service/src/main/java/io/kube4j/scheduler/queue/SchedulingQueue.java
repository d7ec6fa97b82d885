package io.kube4j.scheduler.queue;

import io.kube4j.scheduler.framework.ClusterEvent;
import io.kube4j.scheduler.framework.PodInfo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The pods waiting for a node, as kube-scheduler's priority queue keeps them:
 * <ul>
 *   <li>the <em>active</em> queue, popped by the scheduling thread: higher {@code spec.priority} first, then
 *       the pod that entered earlier;</li>
 *   <li>the <em>backoff</em> queue: pods that failed recently wait {@code initialBackoff} doubling per attempt up
 *       to {@code maxBackoff} ({@link #flushBackoffCompleted} moves the ones whose time is up);</li>
 *   <li>the <em>unschedulable</em> pods: no node fit; they move back only on a {@link ClusterEvent} that one of
 *       the plugins that rejected them registered for ({@link #onClusterEvent}), or after
 *       {@code maxInUnschedulable} as a safety net ({@link #flushUnschedulableLeftover}).</li>
 * </ul>
 *
 * <p>Thread-safe: informer threads add, update and delete; one scheduling thread pops; timers flush. A pod is in at
 * most one of the three places, or in flight (popped and not yet given back).
 */
public final class SchedulingQueue {

    private static final Comparator<QueuedPod> PRIORITY_THEN_AGE = Comparator
            .comparingInt((QueuedPod q) -> q.pod().priority()).reversed()
            .thenComparingLong(QueuedPod::enqueuedNanos);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final PriorityQueue<QueuedPod> active = new PriorityQueue<>(PRIORITY_THEN_AGE);
    private final Map<String, QueuedPod> activeByKey = new HashMap<>();
    private final Map<String, QueuedPod> backoff = new HashMap<>();
    private final Map<String, QueuedPod> unschedulable = new HashMap<>();
    private final Map<String, QueuedPod> inFlight = new HashMap<>();
    private final Map<String, Set<ClusterEvent>> pluginEvents;
    private final LongSupplier nanoClock;
    private final long initialBackoffNanos;
    private final long maxBackoffNanos;
    private final long maxInUnschedulableNanos;
    private long schedulingCycle;
    private long moveRequestCycle = -1;
    private boolean closed;

    /**
     * @param pluginEvents       the events each plugin registered ({@code Plugin.eventsToRegister})
     * @param nanoClock          monotonic time in nanoseconds ({@code System::nanoTime} outside tests)
     * @param initialBackoff     the first backoff (kube-scheduler: 1 s)
     * @param maxBackoff         the longest backoff (kube-scheduler: 10 s)
     * @param maxInUnschedulable how long a pod waits for an event before it is retried anyway (kube-scheduler: 5 min)
     */
    public SchedulingQueue(Map<String, Set<ClusterEvent>> pluginEvents, LongSupplier nanoClock, Duration initialBackoff,
                           Duration maxBackoff, Duration maxInUnschedulable) {
        this.pluginEvents = Map.copyOf(pluginEvents);
        this.nanoClock = nanoClock;
        this.initialBackoffNanos = initialBackoff.toNanos();
        this.maxBackoffNanos = maxBackoff.toNanos();
        this.maxInUnschedulableNanos = maxInUnschedulable.toNanos();
    }

    /** A new pending pod, or a pending pod that changed: it goes (back) to the active queue. */
    public void add(PodInfo pod) {
        lock.lock();
        try {
            String key = pod.key();
            if (inFlight.containsKey(key)) {
                inFlight.put(key, inFlight.get(key).withPod(pod));
                return;
            }
            QueuedPod q = activeByKey.get(key);
            if (q != null) {
                active.remove(q);
                pushActive(q.withPod(pod));
                return;
            }
            q = backoff.get(key);
            if (q != null) {
                backoff.put(key, q.withPod(pod));
                return;
            }
            q = unschedulable.remove(key);
            if (q != null) {
                // The pod itself changed: it may fit now.
                requeue(q.withPod(pod), nanoClock.getAsLong());
                return;
            }
            pushActive(new QueuedPod(pod, nanoClock.getAsLong(), 0, Set.of(), 0));
        } finally {
            lock.unlock();
        }
    }

    /** The pod was deleted or bound elsewhere: it leaves the queue wherever it is. */
    public void delete(String key) {
        lock.lock();
        try {
            QueuedPod q = activeByKey.remove(key);
            if (q != null) active.remove(q);
            backoff.remove(key);
            unschedulable.remove(key);
            inFlight.remove(key);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next pod to schedule, waiting up to {@code timeout} for one; null on timeout or after {@link #close}.
     * The pod is in flight until {@link #done}, {@link #addUnschedulable} or {@link #addBackoff}.
     */
    public QueuedPod pop(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long wait = timeout.toNanos();
            while (active.isEmpty() && !closed) {
                if (wait <= 0) return null;
                wait = notEmpty.awaitNanos(wait);
            }
            if (closed) return null;
            QueuedPod q = active.poll();
            activeByKey.remove(q.key());
            schedulingCycle++;
            QueuedPod popped = new QueuedPod(q.pod(), q.enqueuedNanos(), q.attempts() + 1, q.unschedulablePlugins(),
                    q.lastFailureNanos());
            inFlight.put(q.key(), popped);
            return popped;
        } finally {
            lock.unlock();
        }
    }

    /** The scheduling cycle of the last pop, to pass to {@link #addUnschedulable}. */
    public long schedulingCycle() {
        lock.lock();
        try {
            return schedulingCycle;
        } finally {
            lock.unlock();
        }
    }

    /** The popped pod is scheduled (or gone): it leaves the queue. */
    public void done(String key) {
        lock.lock();
        try {
            inFlight.remove(key);
        } finally {
            lock.unlock();
        }
    }

    /**
     * No node fit the popped pod. It waits for an event that one of {@code rejectingPlugins} cares about; if such
     * an event came while it was being scheduled ({@code cycle} is older than the last move request), it only
     * backs off.
     */
    public void addUnschedulable(QueuedPod popped, Set<String> rejectingPlugins, long cycle) {
        lock.lock();
        try {
            QueuedPod current = inFlight.remove(popped.key());
            if (current == null) return; // deleted meanwhile
            long now = nanoClock.getAsLong();
            QueuedPod q = new QueuedPod(current.pod(), current.enqueuedNanos(), current.attempts(),
                    Set.copyOf(rejectingPlugins), now);
            if (moveRequestCycle >= cycle) {
                backoff.put(q.key(), q);
            } else {
                unschedulable.put(q.key(), q);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The popped pod failed for another reason (an error, a failed binding): it backs off, then retries. */
    public void addBackoff(QueuedPod popped) {
        lock.lock();
        try {
            QueuedPod current = inFlight.remove(popped.key());
            if (current == null) return;
            QueuedPod q = new QueuedPod(current.pod(), current.enqueuedNanos(), current.attempts(), Set.of(),
                    nanoClock.getAsLong());
            backoff.put(q.key(), q);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A cluster event: unschedulable pods rejected by a plugin that registered for it (or whose rejecting plugins
     * are unknown) move to the active queue, or to backoff while their backoff runs.
     */
    public void onClusterEvent(ClusterEvent event) {
        lock.lock();
        try {
            long now = nanoClock.getAsLong();
            List<QueuedPod> moved = new ArrayList<>();
            for (QueuedPod q : unschedulable.values()) {
                if (helps(event, q.unschedulablePlugins())) moved.add(q);
            }
            for (QueuedPod q : moved) {
                unschedulable.remove(q.key());
                requeue(q, now);
            }
            moveRequestCycle = schedulingCycle;
        } finally {
            lock.unlock();
        }
    }

    private boolean helps(ClusterEvent event, Set<String> plugins) {
        if (plugins.isEmpty()) return true;
        for (String p : plugins) {
            Set<ClusterEvent> events = pluginEvents.get(p);
            if (events == null || events.contains(event)) return true;
        }
        return false;
    }

    /** Moves the pods whose backoff is over to the active queue; call about every second. */
    public void flushBackoffCompleted() {
        lock.lock();
        try {
            long now = nanoClock.getAsLong();
            List<QueuedPod> done = new ArrayList<>();
            for (QueuedPod q : backoff.values()) if (backoffExpiry(q) <= now) done.add(q);
            for (QueuedPod q : done) {
                backoff.remove(q.key());
                pushActive(q);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Retries the pods that have waited as unschedulable longer than {@code maxInUnschedulable}; call every 30 s. */
    public void flushUnschedulableLeftover() {
        lock.lock();
        try {
            long now = nanoClock.getAsLong();
            List<QueuedPod> stale = new ArrayList<>();
            for (QueuedPod q : unschedulable.values()) {
                if (now - q.lastFailureNanos() > maxInUnschedulableNanos) stale.add(q);
            }
            for (QueuedPod q : stale) {
                unschedulable.remove(q.key());
                requeue(q, now);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The backoff after {@code attempts} failed attempts: initial × 2^(attempts-1), at most the maximum. */
    public long backoffNanos(int attempts) {
        long d = initialBackoffNanos;
        for (int i = 1; i < attempts; i++) {
            d *= 2;
            if (d >= maxBackoffNanos) return maxBackoffNanos;
        }
        return Math.min(d, maxBackoffNanos);
    }

    private long backoffExpiry(QueuedPod q) {
        return q.lastFailureNanos() + backoffNanos(Math.max(1, q.attempts()));
    }

    private void requeue(QueuedPod q, long now) {
        if (q.attempts() > 0 && backoffExpiry(q) > now) {
            backoff.put(q.key(), q);
        } else {
            pushActive(q);
        }
    }

    private void pushActive(QueuedPod q) {
        QueuedPod entered = new QueuedPod(q.pod(), q.attempts() == 0 ? q.enqueuedNanos() : nanoClock.getAsLong(),
                q.attempts(), q.unschedulablePlugins(), q.lastFailureNanos());
        active.add(entered);
        activeByKey.put(entered.key(), entered);
        notEmpty.signal();
    }

    /** Counts of pods: active, backoff, unschedulable, in flight. */
    public int[] sizes() {
        lock.lock();
        try {
            return new int[]{active.size(), backoff.size(), unschedulable.size(), inFlight.size()};
        } finally {
            lock.unlock();
        }
    }

    /** Where a pod is: "active", "backoff", "unschedulable", "inFlight" or null. */
    public String whereIs(String key) {
        lock.lock();
        try {
            if (activeByKey.containsKey(key)) return "active";
            if (backoff.containsKey(key)) return "backoff";
            if (unschedulable.containsKey(key)) return "unschedulable";
            if (inFlight.containsKey(key)) return "inFlight";
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes a waiting {@link #pop}, which then answers null; later pops answer null at once. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
