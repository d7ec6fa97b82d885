package io.kube4j.store.relay;

import java.util.TreeMap;

/**
 * Which revisions Kafka has acknowledged, to know how far the relay may checkpoint: the highest
 * revision {@code R} such that every record of every revision up to {@code R} is acknowledged.
 * Kafka acknowledges partitions independently, so acknowledgements arrive out of revision order.
 *
 * <p>Thread-safe: the relay thread registers sends, the producer's I/O thread acknowledges them.
 * Revisions must be registered in non-decreasing order.
 */
public final class AckTracker {

    private final TreeMap<Long, Integer> outstanding = new TreeMap<>();
    private long highestRegistered;
    private int inFlight;
    private RuntimeException failure;

    /** Starts after {@code checkpoint}: everything up to it counts as acknowledged. */
    public AckTracker(long checkpoint) {
        this.highestRegistered = checkpoint;
    }

    /** A record of {@code revision} was handed to the producer. */
    public synchronized void sent(long revision) {
        register(revision);
        outstanding.merge(revision, 1, Integer::sum);
        inFlight++;
    }

    /** A revision that produced nothing to publish (an unrelayable key): done as soon as those before it are. */
    public synchronized void skipped(long revision) {
        register(revision);
    }

    /** Kafka acknowledged one record of {@code revision}. */
    public synchronized void acknowledged(long revision) {
        Integer left = outstanding.get(revision);
        if (left == null) return;
        if (left == 1) outstanding.remove(revision);
        else outstanding.put(revision, left - 1);
        inFlight--;
    }

    /** Kafka gave up on a record: nothing after the failed record's revision may be checkpointed in this session. */
    public synchronized void failed(RuntimeException cause) {
        if (failure == null) failure = cause;
    }

    /** The first failure reported, or {@code null}. */
    public synchronized RuntimeException failure() {
        return failure;
    }

    /** The highest revision up to which every record is acknowledged. */
    public synchronized long committable() {
        return outstanding.isEmpty() ? highestRegistered : outstanding.firstKey() - 1;
    }

    /** Records sent but not yet acknowledged. */
    public synchronized int inFlight() {
        return inFlight;
    }

    private void register(long revision) {
        if (revision < highestRegistered) {
            throw new IllegalArgumentException("revision " + revision + " registered after " + highestRegistered);
        }
        highestRegistered = revision;
    }
}
