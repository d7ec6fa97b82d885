package io.kube4j.controller.pods;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Runs {@code count} calls in batches that double — 1, 2, 4, … — all calls of a batch at once,
 * and stops after the first batch in which any call failed: kube's slowStartBatch. A create that
 * fails for every pod (a quota, an admission refusal) thus costs one request, not hundreds, while
 * a healthy one reaches full concurrency within a few round trips.
 */
public final class SlowStart {

    /** One call; throws to report its failure. */
    @FunctionalInterface
    public interface Call {
        void run() throws Exception;
    }

    /** @param successes calls that succeeded; {@code error} the first failure, or null */
    public record Outcome(int successes, Exception error) {}

    private SlowStart() {}

    public static Outcome run(int count, int initialBatch, ExecutorService executor, Call call) throws InterruptedException {
        int successes = 0;
        int remaining = count;
        for (int batch = Math.min(remaining, initialBatch); batch > 0; batch = Math.min(2 * batch, remaining)) {
            List<Future<?>> futures = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                futures.add(executor.submit(() -> {
                    call.run();
                    return null;
                }));
            }
            Exception error = null;
            for (Future<?> f : futures) {
                try {
                    f.get();
                    successes++;
                } catch (ExecutionException e) {
                    if (error == null) error = e.getCause() instanceof Exception cause ? cause : e;
                }
            }
            if (error != null) return new Outcome(successes, error);
            remaining -= batch;
        }
        return new Outcome(successes, null);
    }
}
