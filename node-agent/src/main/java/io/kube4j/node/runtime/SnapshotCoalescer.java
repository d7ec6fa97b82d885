package io.kube4j.node.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Shares runtime listings between concurrent callers. A burst of pod workers each asking for a
 * snapshot would otherwise list every sandbox and container once per call — O(pods²) runtime
 * calls for a burst of pods. Here at most one listing runs at a time; every caller that arrives
 * while one runs waits for the next listing, which starts when the running one ends and answers
 * all of them.
 *
 * <p>Freshness: {@link #get()} returns a listing that started after the call began, so a caller
 * sees the effect of every runtime action it completed before calling, exactly as with an
 * uncoalesced listing. Thread-safe. A listing that fails fails every caller that shares it.
 */
public final class SnapshotCoalescer {

    private final Supplier<RuntimeSnapshot> source;
    private final Object lock = new Object();
    /** The listing that starts when the running one ends; null when no caller waits for one. */
    private CompletableFuture<RuntimeSnapshot> next;
    private boolean running;

    public SnapshotCoalescer(Supplier<RuntimeSnapshot> source) {
        this.source = source;
    }

    public RuntimeSnapshot get() {
        CompletableFuture<RuntimeSnapshot> mine;
        boolean lead;
        synchronized (lock) {
            if (next == null) next = new CompletableFuture<>();
            mine = next;
            lead = !running;
            if (lead) {
                running = true;
                next = null;
            }
        }
        if (lead) run(mine);
        try {
            return mine.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }

    private void run(CompletableFuture<RuntimeSnapshot> round) {
        try {
            round.complete(source.get());
        } catch (Throwable e) {
            round.completeExceptionally(e);
        }
        CompletableFuture<RuntimeSnapshot> following;
        synchronized (lock) {
            following = next;
            next = null;
            running = following != null;
        }
        // The callers of the next listing are parked in join(); the one who ran this listing
        // returns to its own work at once.
        if (following != null) Thread.ofVirtual().name("runtime-relist").start(() -> run(following));
    }
}
