package io.kube4j.node.pod;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One worker per pod key: {@link #enqueue} runs the sync function for the key on a virtual
 * thread, never twice at once for the same key; an enqueue while the key's sync runs makes it
 * run once more after. Syncs of different pods run in parallel (the runtime's calls block).
 * A sync that throws is retried after a second.
 */
public final class PodWorkers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PodWorkers.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private enum State { RUNNING, RUNNING_DIRTY }

    private final Consumer<String> sync;
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("pod-workers-timer").daemon().factory());

    public PodWorkers(Consumer<String> sync) {
        this.sync = sync;
    }

    public void enqueue(String key) {
        boolean[] start = {false};
        states.compute(key, (k, state) -> {
            if (state == null) {
                start[0] = true;
                return State.RUNNING;
            }
            return State.RUNNING_DIRTY;
        });
        if (start[0]) threads.execute(() -> run(key));
    }

    public void enqueueAfter(String key, Duration delay) {
        timer.schedule(() -> enqueue(key), Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
    }

    private void run(String key) {
        while (true) {
            try {
                sync.accept(key);
            } catch (RuntimeException e) {
                log.warn("sync of pod {} failed, retrying in {}: {}", key, RETRY, e.toString(), e);
                enqueueAfter(key, RETRY);
            }
            State after = states.compute(key, (k, state) -> state == State.RUNNING_DIRTY ? State.RUNNING : null);
            if (after == null) return;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        threads.shutdownNow();
    }
}
