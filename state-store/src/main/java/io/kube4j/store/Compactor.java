package io.kube4j.store;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts the store's history periodically, keeping at least
 * {@link CompactorProperties#retention()} of it (see {@link CompactionPolicy}).
 *
 * <p>Several processes may run one each against the same etcd: a compaction at or below one
 * already done is reported by the store as {@link StoreException.Compacted} and ignored, so the
 * window is the widest of theirs and never narrower than the retention. A store that is
 * unavailable skips a round. Rounds run on one daemon thread of its own.
 */
public final class Compactor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Compactor.class);

    private final Store store;
    private final CompactorProperties properties;
    private final CompactionPolicy policy;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    /** Touched by one round at a time. */
    private List<CompactionPolicy.Sample> samples = List.of();
    private long compacted;

    public Compactor(Store store, CompactorProperties properties) {
        this(store, properties, Clock.systemUTC());
    }

    public Compactor(Store store, CompactorProperties properties, Clock clock) {
        this.store = store;
        this.properties = properties;
        this.policy = new CompactionPolicy(properties.retention());
        this.clock = clock;
        this.executor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("store-compactor").factory());
    }

    /** Starts the rounds, the first at once; does nothing if compaction is disabled. */
    public void start() {
        if (!properties.enabled()) return;
        long interval = properties.interval().toMillis();
        executor.scheduleWithFixedDelay(this::roundLogged, 0, interval, TimeUnit.MILLISECONDS);
    }

    private void roundLogged() {
        try {
            round();
        } catch (StoreException.Unavailable e) {
            log.warn("compaction round skipped: {}", e.getMessage());
        } catch (RuntimeException e) {
            log.error("compaction round failed", e);
        }
    }

    /**
     * One round: samples the current revision and compacts if a sample is old enough.
     *
     * @return the revision compacted to, if this round compacted
     */
    public synchronized OptionalLong round() {
        long revision = store.currentRevision();
        Instant now = clock.instant();
        List<CompactionPolicy.Sample> taken = new ArrayList<>(samples);
        taken.add(new CompactionPolicy.Sample(now, revision));
        CompactionPolicy.Decision decision = policy.decide(taken, now, compacted);
        samples = decision.keep();
        if (decision.compactTo().isEmpty()) return OptionalLong.empty();
        long target = decision.compactTo().getAsLong();
        try {
            store.compact(target);
            compacted = target;
            log.info("compacted the store to revision {}", target);
            return OptionalLong.of(target);
        } catch (StoreException.Compacted alreadyDone) {
            // another compactor was first, at this revision or a newer one
            compacted = Math.max(target, alreadyDone.compactedRevision());
            return OptionalLong.empty();
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
