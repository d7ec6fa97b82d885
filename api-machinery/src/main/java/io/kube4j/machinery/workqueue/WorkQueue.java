package io.kube4j.machinery.workqueue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A work queue with client-go's guarantees:
 * <ul>
 *   <li>a key waiting in the queue is there once, however often it was added;</li>
 *   <li>a key is never handed to two workers at once: added while a worker holds it, it waits
 *       until that worker calls {@link #done}, then is queued again;</li>
 *   <li>{@link #addAfter} delays a key, {@link #addRateLimited} delays it by the key's own
 *       exponential backoff, which {@link #forget} resets after a success;</li>
 *   <li>a key waits in the delay once: added after a delay again while waiting, it keeps the
 *       earlier of its two ready times (client-go's delaying queue), so a controller that asks for
 *       "again in 10 s" on every pass does not pile up entries;</li>
 *   <li>a delayed key that comes due while a worker holds it is handled like an {@link #add} then:
 *       it is queued again when that worker calls {@link #done}.</li>
 * </ul>
 * Thread-safe. Keys are values with {@code equals}/{@code hashCode}.
 */
public final class WorkQueue<K> {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();
    private final ArrayDeque<K> queue = new ArrayDeque<>();
    private final Set<K> dirty = new HashSet<>();
    private final Set<K> processing = new HashSet<>();
    private final PriorityQueue<Delayed<K>> delayed = new PriorityQueue<>();
    /** The entry of each key in {@link #delayed}: a key waits there once. */
    private final Map<K, Delayed<K>> waiting = new HashMap<>();
    private final Map<K, Integer> failures = new HashMap<>();
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final java.util.function.LongSupplier clock;
    private long sequence;
    private boolean shuttingDown;

    private record Delayed<K>(long readyAtNanos, long sequence, K key) implements Comparable<Delayed<K>> {
        @Override
        public int compareTo(Delayed<K> o) {
            int c = Long.compare(readyAtNanos, o.readyAtNanos);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }

    /** A queue whose rate-limited retries wait {@code baseDelay × 2^failures}, at most {@code maxDelay}. */
    public WorkQueue(Duration baseDelay, Duration maxDelay) {
        this(baseDelay, maxDelay, System::nanoTime);
    }

    /** As above with a clock in nanoseconds, for tests. */
    public WorkQueue(Duration baseDelay, Duration maxDelay, java.util.function.LongSupplier nanoClock) {
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.clock = nanoClock;
    }

    /** client-go's default controller backoff: 5 ms doubling to 1,000 s. */
    public static <K> WorkQueue<K> withDefaultBackoff() {
        return new WorkQueue<>(Duration.ofMillis(5), Duration.ofSeconds(1000));
    }

    public void add(K key) {
        lock.lock();
        try {
            if (shuttingDown || dirty.contains(key)) return;
            dirty.add(key);
            if (processing.contains(key)) return;
            queue.addLast(key);
            available.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Adds {@code key} once {@code delay} has passed (at once when it is not positive). */
    public void addAfter(K key, Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            add(key);
            return;
        }
        lock.lock();
        try {
            if (shuttingDown) return;
            long readyAt = clock.getAsLong() + delay.toNanos();
            Delayed<K> previous = waiting.get(key);
            if (previous != null) {
                if (previous.readyAtNanos() <= readyAt) return;
                delayed.remove(previous);
            }
            Delayed<K> entry = new Delayed<>(readyAt, sequence++, key);
            delayed.add(entry);
            waiting.put(key, entry);
            available.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Adds {@code key} after its backoff, which doubles with each call until {@link #forget}. */
    public void addRateLimited(K key) {
        addAfter(key, nextBackoff(key));
    }

    /** The delay the next {@link #addRateLimited} of {@code key} would use, counting it as a failure. */
    private Duration nextBackoff(K key) {
        int n;
        lock.lock();
        try {
            n = failures.merge(key, 1, Integer::sum) - 1;
        } finally {
            lock.unlock();
        }
        long nanos = baseDelay.toNanos();
        for (int i = 0; i < n && nanos < maxDelay.toNanos(); i++) nanos *= 2;
        return Duration.ofNanos(Math.min(nanos, maxDelay.toNanos()));
    }

    /** Resets {@code key}'s backoff. */
    public void forget(K key) {
        lock.lock();
        try {
            failures.remove(key);
        } finally {
            lock.unlock();
        }
    }

    /** How many rate-limited retries {@code key} has had since its last {@link #forget}. */
    public int failures(K key) {
        lock.lock();
        try {
            return failures.getOrDefault(key, 0);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for a key and hands it to the caller, who must call {@link #done} with it. Empty when
     * the queue shuts down or {@code timeout} passes.
     */
    public Optional<K> take(Duration timeout) throws InterruptedException {
        long deadline = clock.getAsLong() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                promoteDelayed();
                if (!queue.isEmpty()) {
                    K key = queue.pollFirst();
                    dirty.remove(key);
                    processing.add(key);
                    return Optional.of(key);
                }
                if (shuttingDown) return Optional.empty();
                long now = clock.getAsLong();
                long wait = deadline - now;
                if (wait <= 0) return Optional.empty();
                if (!delayed.isEmpty()) wait = Math.min(wait, Math.max(1, delayed.peek().readyAtNanos() - now));
                available.awaitNanos(wait);
            }
        } finally {
            lock.unlock();
        }
    }

    private void promoteDelayed() {
        long now = clock.getAsLong();
        while (!delayed.isEmpty() && delayed.peek().readyAtNanos() <= now) {
            K key = delayed.poll().key();
            waiting.remove(key);
            if (dirty.contains(key)) continue;
            dirty.add(key);
            if (!processing.contains(key)) queue.addLast(key);
        }
    }

    /** The worker is finished with {@code key}; if it was added meanwhile, it is queued again. */
    public void done(K key) {
        lock.lock();
        try {
            processing.remove(key);
            if (dirty.contains(key)) {
                queue.addLast(key);
                available.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Keys waiting for their delay to pass. */
    public int delayedLength() {
        lock.lock();
        try {
            promoteDelayed();
            return delayed.size();
        } finally {
            lock.unlock();
        }
    }

    /** Keys waiting now (not delayed ones, not those being processed). */
    public int length() {
        lock.lock();
        try {
            promoteDelayed();
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code key} is held by a worker. */
    public boolean isProcessing(K key) {
        lock.lock();
        try {
            return processing.contains(key);
        } finally {
            lock.unlock();
        }
    }

    /** Stops handing out keys once the queue is empty; adds are ignored from now on. */
    public void shutDown() {
        lock.lock();
        try {
            shuttingDown = true;
            available.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean isShuttingDown() {
        lock.lock();
        try {
            return shuttingDown;
        } finally {
            lock.unlock();
        }
    }

}
