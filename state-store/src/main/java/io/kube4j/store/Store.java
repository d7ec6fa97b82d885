package io.kube4j.store;

import java.util.List;
import java.util.Optional;

/**
 * A revisioned key-value store with the semantics of etcd v3, which the gateway persists through.
 *
 * <p>Keys and values are opaque bytes to the store; kube4j stores each object's JSON under
 * {@code /registry/{group}/{resource}/{namespace}/{name}}. Every successful write advances the
 * store's revision by one; a key's {@code modRevision} is the revision of its last write, which
 * the gateway exposes as the object's {@code resourceVersion}. A store may keep the value arrays
 * it is given and hands out shared arrays: callers modify neither.
 *
 * <p>Contract, held by every implementation (checked by one shared contract test):
 * <ul>
 *   <li>All methods are thread-safe and block until the store has answered.</li>
 *   <li>{@link #create} succeeds only if the key is absent; {@link #update} and {@link #delete}
 *       succeed only if the key's current mod revision equals the expected one (0 for delete
 *       means unconditional). A failed precondition changes nothing.</li>
 *   <li>A write acknowledged by a returned value is durable in the store.</li>
 *   <li>{@link #watch} delivers every change after {@code fromRevision} under the prefix, in
 *       revision order, exactly once per watch, on a single thread per watch.</li>
 *   <li>Compaction at revision C keeps the state at C and discards the history before it, as
 *       etcd does: reads at a revision below C, and watches from a revision below C, fail with
 *       {@link StoreException.Compacted}; reads at C and watches from C work. Reads at a revision
 *       beyond the current one fail with {@link StoreException.FutureRevision}.</li>
 *   <li>Failures to reach the store throw {@link StoreException.Unavailable}; callers may retry.</li>
 * </ul>
 */
public interface Store extends AutoCloseable {

    /** The current value of a key, if present. */
    Optional<KeyValue> get(String key);

    /**
     * Keys under {@code prefix} in key order.
     *
     * @param prefix   key prefix, e.g. {@code /registry/core/pods/default/}
     * @param revision read at this revision; 0 reads the latest
     * @param limit    at most this many items; 0 means no limit
     * @param startKey continue from this key (inclusive); null or empty starts at the prefix;
     *                 a key not under the prefix is an {@link IllegalArgumentException}
     * @return the items, the revision they were read at, and whether more remain
     * @throws StoreException.Compacted      if {@code revision} is below the compacted revision
     * @throws StoreException.FutureRevision if {@code revision} is beyond the current revision
     */
    ListResult list(String prefix, long revision, long limit, String startKey);

    /** Creates a key that must not exist; throws {@link StoreException.KeyExists} otherwise. */
    KeyValue create(String key, byte[] value);

    /**
     * Replaces a key's value if its mod revision is {@code expectedModRevision}.
     * Throws {@link StoreException.NotFound} when the key is absent and
     * {@link StoreException.Conflict} (carrying the current value) when the revision differs.
     */
    KeyValue update(String key, byte[] value, long expectedModRevision);

    /**
     * Deletes a key if its mod revision is {@code expectedModRevision}, or unconditionally when it
     * is 0. Returns the deleted value with the deletion's revision as {@code modRevision}.
     * Throws {@link StoreException.NotFound} or {@link StoreException.Conflict}.
     */
    KeyValue delete(String key, long expectedModRevision);

    /**
     * Watches every change under {@code prefix} with a revision greater than {@code fromRevision}.
     * Events reach {@code listener} in revision order on one thread; a {@code fromRevision}
     * beyond the current revision simply waits for it. If {@code fromRevision} is below the
     * compacted revision, {@link WatchListener#onError} receives {@link StoreException.Compacted}
     * and the watch ends. A watch outlives connection failures: it resumes where it was, and ends
     * with {@code Compacted} only if the history it missed was compacted meanwhile. Closing the
     * returned handle stops delivery.
     */
    Watch watch(String prefix, long fromRevision, WatchListener listener);

    /** The store's current revision (the revision of the last write). */
    long currentRevision();

    /** The revision of the newest compaction, the oldest one still readable; 0 if nothing was compacted. */
    long compactedRevision();

    /**
     * Discards the history before {@code revision}; the state at {@code revision} stays readable.
     * Throws {@link StoreException.Compacted} if {@code revision} is at or below the compacted
     * revision (another compactor was first: nothing to do) and
     * {@link StoreException.FutureRevision} if it is beyond the current revision.
     */
    void compact(long revision);

    @Override
    void close();

    /** A key's value and revisions. */
    record KeyValue(String key, byte[] value, long createRevision, long modRevision) {}

    /**
     * A page of a list.
     *
     * @param items     the key-values, in key order
     * @param revision  the revision the list was read at
     * @param more      whether keys beyond the last item remain under the prefix
     * @param remaining how many keys beyond the last item remain (0 if none)
     */
    record ListResult(List<KeyValue> items, long revision, boolean more, long remaining) {}

    /**
     * One change.
     *
     * @param type      PUT (created or modified) or DELETE
     * @param current   the value after a PUT; for a DELETE the key with an empty value and the deletion's revision
     * @param previous  the value before the change, or null when it was created
     */
    record Event(Type type, KeyValue current, KeyValue previous) {
        public enum Type { PUT, DELETE }

        public long revision() {
            return current.modRevision();
        }

        /** A PUT with no previous value: the key was created. */
        public boolean isCreate() {
            return type == Type.PUT && previous == null;
        }
    }

    /** Receives the events of one watch. Called on one thread per watch, in revision order. */
    interface WatchListener {
        void onEvent(Event event);

        /** The watch ended with an error; no further events follow. */
        void onError(StoreException error);
    }

    /** A running watch; closing it stops delivery. Idempotent. */
    interface Watch extends AutoCloseable {
        @Override
        void close();
    }
}
