package io.kube4j.store.relay;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The relay loop, on one thread of its own: win the leadership, read the checkpoint, watch
 * {@code /registry/} from the revision after it, publish every change in revision order, and
 * checkpoint what Kafka has acknowledged. A crash repeats what came after the last checkpoint
 * and loses nothing; consumers drop events whose resourceVersion they have already seen for a key.
 *
 * <p>Failure handling:
 * <ul>
 * <li>leadership lost (lease expired, or a fenced checkpoint write failed): stop publishing before
 *     the next record, drop what the producer has not sent, campaign again;</li>
 * <li>etcd unreachable: jetcd resumes the watch where it stopped; checkpoint writes are retried;
 *     leadership holds while the lease's TTL lasts;</li>
 * <li>Kafka unreachable: the idempotent producer retries; a record Kafka finally rejects ends the
 *     session, which restarts from the last checkpoint;</li>
 * <li>checkpoint compacted away in etcd: logged as an error, the gap counted in
 *     {@code kube4j.relay.compaction.gap}, and the relay goes on from the oldest revision etcd has.
 *     The changes in the gap are lost to consumers, who must relist to recover; there is no marker
 *     record.</li>
 * </ul>
 */
public final class ChangeRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ChangeRelay.class);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration FLUSH_ON_STOP = Duration.ofSeconds(5);

    private final EtcdLeaderElection election;
    private final EtcdCheckpointStore checkpoints;
    private final Supplier<EtcdWatchFeed> feeds;
    private final Supplier<ChangePublisher> publishers;
    private final ChangeEncoder encoder;
    private final RelayMetrics metrics;
    private final RelayProperties properties;
    private volatile boolean running;
    private Thread thread;

    public ChangeRelay(EtcdLeaderElection election, EtcdCheckpointStore checkpoints, Supplier<EtcdWatchFeed> feeds,
                       Supplier<ChangePublisher> publishers, ChangeEncoder encoder, RelayMetrics metrics,
                       RelayProperties properties) {
        this.election = election;
        this.checkpoints = checkpoints;
        this.feeds = feeds;
        this.publishers = publishers;
        this.encoder = encoder;
        this.metrics = metrics;
        this.properties = properties;
    }

    @Override
    public synchronized void start() {
        if (running) return;
        running = true;
        thread = Thread.ofPlatform().name("change-relay").start(this::run);
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (thread == null) return;
        try {
            thread.join(FLUSH_ON_STOP.plusSeconds(5));
            if (thread.isAlive()) thread.interrupt();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        Leadership leadership = null;
        try {
            while (running) {
                try {
                    if (leadership == null || !leadership.isHeld()) {
                        if (leadership != null) {
                            leadership.close();
                            leadership = null;
                            metrics.leading(false);
                        }
                        leadership = election.campaign(() -> running);
                        if (leadership == null) break;
                    }
                    metrics.leading(true);
                    relay(leadership);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (Exception e) {
                    log.error("relay session failed; resuming from the last checkpoint", e);
                    sleep(properties.retryBackoff());
                }
            }
        } finally {
            if (leadership != null) leadership.close();
            metrics.leading(false);
        }
    }

    /** One leadership session: returns when the relay stops or loses the leadership; throws to restart from the checkpoint. */
    private void relay(Leadership leadership) throws Exception {
        metrics.sessionStarted();
        Session session = new Session(checkpoints.read());
        metrics.checkpointed(session.checkpointed);
        log.info("relaying changes from revision {}", session.next);
        try (EtcdWatchFeed feed = feeds.get(); ChangePublisher publisher = publishers.get()) {
            feed.open(session.next);
            while (running && leadership.isHeld()) {
                RuntimeException failure = session.acks.failure();
                if (failure != null) throw new IllegalStateException("Kafka did not take a record", failure);
                throttle(feed, session);
                EtcdWatchFeed.Item item = feed.isOpen() ? feed.poll(POLL) : null;
                if (!feed.isOpen()) Thread.sleep(POLL);
                switch (item) {
                    case null -> { }
                    case EtcdWatchFeed.Item.Changes changes -> publishAll(changes, session, publisher, leadership);
                    case EtcdWatchFeed.Item.Compacted compacted -> skipCompacted(compacted.compactRevision(), session, feed);
                    case EtcdWatchFeed.Item.Failed failed -> {
                        log.warn("etcd watch ended ({}); reopening at revision {}", failed.cause().toString(), session.next);
                        sleep(properties.retryBackoff());
                        feed.open(session.next);
                    }
                }
                checkpoint(session, leadership, false);
            }
            if (!running && leadership.isHeld()) {
                publisher.flush(FLUSH_ON_STOP);
                checkpoint(session, leadership, true);
            }
        }
    }

    private void publishAll(EtcdWatchFeed.Item.Changes changes, Session session, ChangePublisher publisher, Leadership leadership) {
        long floor = session.next;
        for (Change change : changes.changes()) {
            if (change.revision() < floor) continue; // already relayed before jetcd resumed the watch
            if (!leadership.isHeld()) return;
            long revision = change.revision();
            switch (encoder.encode(change)) {
                case ChangeEncoder.Outcome.Skip skip -> {
                    log.warn("not relaying revision {}: {}", revision, skip.detail());
                    metrics.skipped(skip.reason());
                    session.acks.skipped(revision);
                }
                case ChangeEncoder.Outcome.Publish publish -> {
                    session.acks.sent(revision);
                    publisher.publish(publish.record(), new ChangePublisher.Callback() {
                        @Override
                        public void acknowledged() {
                            session.acks.acknowledged(revision);
                            metrics.published();
                        }

                        @Override
                        public void failed(RuntimeException cause) {
                            session.acks.failed(cause);
                        }
                    });
                }
            }
            session.next = Math.max(session.next, revision + 1);
            session.sinceCheckpoint++;
            metrics.sent(revision);
        }
    }

    private void skipCompacted(long compactRevision, Session session, EtcdWatchFeed feed) {
        long gap = compactRevision - session.next;
        if (gap > 0) {
            log.error("etcd compacted revisions {}..{} before they were relayed: {} revisions of changes are LOST to "
                    + "consumers, who must relist; relaying on from revision {}",
                    session.next, compactRevision - 1, gap, compactRevision);
            metrics.compactionGap(gap);
            session.acks.skipped(compactRevision - 1);
            session.next = compactRevision;
        }
        feed.open(session.next);
    }

    /** Stops reading etcd while Kafka lags too far behind, instead of buffering without bound. */
    private void throttle(EtcdWatchFeed feed, Session session) {
        int max = properties.maxInFlight();
        if (feed.isOpen() && session.acks.inFlight() >= max) {
            log.info("{} records wait for Kafka; pausing the etcd watch at revision {}", session.acks.inFlight(), session.next);
            feed.close();
        } else if (!feed.isOpen() && session.acks.inFlight() <= max / 2) {
            feed.open(session.next);
        }
    }

    private void checkpoint(Session session, Leadership leadership, boolean force) {
        long committable = session.acks.committable();
        if (committable <= session.checkpointed) return;
        long now = System.nanoTime();
        boolean due = force
                || now - session.checkpointedAt >= properties.checkpointInterval().toNanos()
                || session.sinceCheckpoint >= properties.checkpointEvents();
        if (!due) return;
        session.checkpointedAt = now;
        try {
            if (!checkpoints.write(leadership, committable)) {
                leadership.lose("another relay holds the leader key; checkpoint " + committable + " not written");
                return;
            }
            session.checkpointed = committable;
            session.sinceCheckpoint = 0;
            metrics.checkpointed(committable);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("checkpoint {} not written, retrying: {}", committable, e.toString());
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The state of one leadership session; confined to the relay thread except {@link #acks}. */
    private static final class Session {
        final AckTracker acks;
        long next;
        long checkpointed;
        long checkpointedAt = System.nanoTime();
        int sinceCheckpoint;

        Session(long checkpoint) {
            this.acks = new AckTracker(checkpoint);
            this.next = checkpoint + 1;
            this.checkpointed = checkpoint;
        }
    }
}
