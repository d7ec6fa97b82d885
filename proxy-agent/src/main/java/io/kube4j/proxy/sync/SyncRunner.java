package io.kube4j.proxy.sync;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs the sync on its own thread, rate-limited by {@link SyncRateLimit}: requests made while a
 * sync waits or runs fold into one later sync; a failed sync is retried after the minimum
 * interval; without requests it still syncs every {@code maxInterval}.
 *
 * <p>Nothing runs before {@link #start}, which the agent calls once every watch has listed:
 * rules computed from half a list would delete Services that exist.
 */
public final class SyncRunner implements AutoCloseable {

    /** One sync. Throws to be retried. */
    @FunctionalInterface
    public interface Sync {
        void run() throws Exception;
    }

    private static final Logger log = LoggerFactory.getLogger(SyncRunner.class);

    private final Sync sync;
    private final Duration minInterval;
    private final Duration maxInterval;
    private final SyncRateLimit limit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final CountDownLatch firstSuccess = new CountDownLatch(1);
    private boolean pending = true;
    private volatile boolean stopped;
    private Thread thread;
    private volatile long syncs;
    private volatile long failures;

    public SyncRunner(Sync sync, Duration minInterval, int burst, Duration maxInterval) {
        this.sync = sync;
        this.minInterval = minInterval;
        this.maxInterval = maxInterval;
        this.limit = new SyncRateLimit(minInterval, burst, System.nanoTime());
    }

    /** Asks for a sync soon; thread-safe, cheap, idempotent until the sync runs. */
    public void request() {
        lock.lock();
        try {
            pending = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Starts the sync thread; the first sync runs at once. */
    public synchronized void start() {
        if (thread != null) return;
        thread = Thread.ofPlatform().name("proxy-sync").daemon().start(this::loop);
    }

    /** Waits for the first successful sync; false when {@code timeout} passed first. */
    public boolean awaitFirstSync(Duration timeout) throws InterruptedException {
        return firstSuccess.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    public boolean synced() {
        return firstSuccess.getCount() == 0;
    }

    public long syncs() {
        return syncs;
    }

    public long failures() {
        return failures;
    }

    private void loop() {
        while (!stopped) {
            try {
                lock.lock();
                try {
                    long deadline = System.nanoTime() + maxInterval.toNanos();
                    while (!pending && !stopped) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) break;
                        wake.awaitNanos(left);
                    }
                    long delay;
                    while (!stopped && (delay = limit.delay(System.nanoTime())) > 0) wake.awaitNanos(delay);
                    if (stopped) return;
                    pending = false;
                    limit.consume(System.nanoTime());
                } finally {
                    lock.unlock();
                }
                try {
                    sync.run();
                    syncs++;
                    firstSuccess.countDown();
                } catch (Exception e) {
                    failures++;
                    log.warn("sync failed; retrying in {}", minInterval, e);
                    request();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        stopped = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
