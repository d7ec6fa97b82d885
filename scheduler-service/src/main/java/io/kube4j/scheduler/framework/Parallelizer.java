package io.kube4j.scheduler.framework;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;

/**
 * Runs per-node work on a fixed set of worker threads, the calling thread included, each claiming the next index
 * until none are left or the work says stop. Thread-safe; {@link #close} stops the workers.
 */
public final class Parallelizer implements AutoCloseable {

    private final int parallelism;
    private final ExecutorService workers;

    public Parallelizer(int parallelism) {
        this.parallelism = Math.max(1, parallelism);
        this.workers = this.parallelism == 1 ? null
                : Executors.newFixedThreadPool(this.parallelism - 1, r -> {
                    Thread t = new Thread(r, "scheduler-parallel");
                    t.setDaemon(true);
                    return t;
                });
    }

    public int parallelism() {
        return parallelism;
    }

    /** Calls {@code work} for each index in {@code [0, n)}, spread over the workers; returns when all are done. */
    public void forEach(int n, IntConsumer work) {
        until(n, i -> {
            work.accept(i);
            return true;
        });
    }

    /**
     * Calls {@code work} for indexes in {@code [0, n)} until it answers false for one (then no new index is
     * started); returns when every started call has finished. An exception in a call is rethrown here.
     */
    public void until(int n, IntPredicate work) {
        if (workers == null || n < 2) {
            for (int i = 0; i < n; i++) if (!work.test(i)) return;
            return;
        }
        AtomicInteger next = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Runnable loop = () -> {
            try {
                int i;
                while (!stop.get() && (i = next.getAndIncrement()) < n) {
                    if (!work.test(i)) stop.set(true);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                stop.set(true);
            }
        };
        int helpers = Math.min(parallelism - 1, n - 1);
        java.util.concurrent.Future<?>[] futures = new java.util.concurrent.Future<?>[helpers];
        for (int h = 0; h < helpers; h++) futures[h] = workers.submit(loop);
        loop.run();
        for (java.util.concurrent.Future<?> f : futures) {
            try {
                f.get();
            } catch (Exception e) {
                failure.compareAndSet(null, e);
            }
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) throw re;
        if (t instanceof Error er) throw er;
        if (t != null) throw new IllegalStateException(t);
    }

    @Override
    public void close() {
        if (workers != null) workers.shutdownNow();
    }
}
