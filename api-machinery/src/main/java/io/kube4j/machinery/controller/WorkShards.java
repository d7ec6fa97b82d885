package io.kube4j.machinery.controller;

import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Which keys this replica of a controller may act on. Keys are hashed into a fixed number of
 * shards ({@link #shardOf}); each shard belongs to at most one live replica at a time.
 *
 * <p>Contract with the {@link Listener}: a shard is reported revoked before any other replica is
 * given it, and {@link Listener#revoked} returns only when the replica no longer acts on its keys —
 * that is what keeps two replicas off one object. {@link #ALL} is the single-replica case.
 */
public interface WorkShards extends AutoCloseable {

    /** Told when shards come and go; called from the membership thread. */
    interface Listener {
        /** Shards newly owned: their keys should be reconciled (a resync). */
        void assigned(Set<Integer> shards);

        /** Shards taken away: must return only when no work on their keys is running or will start. */
        void revoked(Set<Integer> shards);
    }

    int shardCount();

    /** Whether this replica owns {@code shard} now. */
    boolean owns(int shard);

    void addListener(Listener listener);

    /** Starts taking part (joins the group); returns at once. */
    void start();

    @Override
    void close();

    default boolean ownsKey(String key) {
        return owns(shardOf(key, shardCount()));
    }

    /** The shard of a key: Kafka's partition function for keyed records, over {@code shards}. */
    static int shardOf(String key, int shards) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % shards;
    }

    /** One replica owning everything. */
    WorkShards ALL = new WorkShards() {
        @Override
        public int shardCount() {
            return 1;
        }

        @Override
        public boolean owns(int shard) {
            return true;
        }

        @Override
        public void addListener(Listener listener) {
        }

        @Override
        public void start() {
        }

        @Override
        public void close() {
        }
    };
}
