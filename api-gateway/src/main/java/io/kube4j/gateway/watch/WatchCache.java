package io.kube4j.gateway.watch;

import io.kube4j.store.Store;
import io.kube4j.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One etcd watch on {@code /registry/} shared by every client watch of this gateway, so a
 * thousand watchers cost one etcd stream, and a window of recent events from which a client
 * watch resumes at its resourceVersion (like kube-apiserver's watch cache).
 *
 * <p>Threading: the store's watch thread appends events and hands them to subscribers'
 * queues; it never blocks on a subscriber. A subscriber that falls too far behind is ended
 * (its client re-lists and watches again, as with kube-apiserver).
 */
public final class WatchCache implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WatchCache.class);
    static final String ROOT = "/registry/";

    private final Store store;
    private final int capacity;
    private final int subscriberQueueLimit;
    private final Object lock = new Object();
    private final ArrayDeque<CachedEvent> window = new ArrayDeque<>();
    private final List<Subscription> subscribers = new CopyOnWriteArrayList<>();
    private final List<Consumer<CachedEvent>> listeners = new CopyOnWriteArrayList<>();
    private final List<FollowListener> followListeners = new CopyOnWriteArrayList<>();
    /** Every event with a revision greater than this is in the window or still to come. */
    private long coveredFrom;
    /** The newest revision seen. */
    private volatile long revision;
    private Store.Watch watch;

    public WatchCache(Store store, int capacity, int subscriberQueueLimit) {
        this.store = store;
        this.capacity = capacity;
        this.subscriberQueueLimit = subscriberQueueLimit;
    }

    /** Starts following the store from its current revision. */
    public void start() {
        long now = store.currentRevision();
        synchronized (lock) {
            coveredFrom = now;
            revision = now;
            window.clear();
        }
        watch = store.watch(ROOT, now, new Store.WatchListener() {
            @Override
            public void onEvent(Store.Event event) {
                append(new CachedEvent(event));
            }

            @Override
            public void onError(StoreException error) {
                log.warn("watch cache lost its etcd watch ({}); restarting and ending client watches", error.getMessage());
                restart();
            }
        });
        log.info("watch cache following {} from revision {}", ROOT, now);
        followListeners.forEach(FollowListener::following);
    }

    private void restart() {
        followListeners.forEach(FollowListener::lost);
        subscribers.forEach(s -> s.end("the watch cache restarted"));
        try {
            if (watch != null) watch.close();
        } catch (RuntimeException ignored) {
            // the old watch is already gone
        }
        Thread.ofVirtual().start(() -> {
            while (true) {
                try {
                    start();
                    return;
                } catch (StoreException e) {
                    log.warn("watch cache cannot restart yet: {}", e.getMessage());
                    sleep(1000);
                }
            }
        });
    }

    private void append(CachedEvent event) {
        synchronized (lock) {
            window.addLast(event);
            while (window.size() > capacity) {
                coveredFrom = window.removeFirst().revision();
            }
            revision = event.revision();
        }
        String key = event.key();
        for (Subscription s : subscribers) {
            if (key.startsWith(s.prefix)) s.offer(event);
        }
        for (Consumer<CachedEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                log.warn("watch cache listener failed on {}: {}", key, e.toString());
            }
        }
    }

    /**
     * Calls {@code listener} with every event from now on, on the cache's thread (so it must be
     * quick). Used by parts of the gateway that follow a kind, e.g. custom resource definitions.
     */
    public void addListener(Consumer<CachedEvent> listener) {
        listeners.add(listener);
    }

    /**
     * Tells {@code listener} whenever the cache starts following the store (the first time and
     * after each restart: events before may have been missed, so what was built from them must be
     * rebuilt from a read made after this call) and when it loses the store. Called on the cache's
     * thread, so it must be quick.
     */
    public void addFollowListener(FollowListener listener) {
        followListeners.add(listener);
    }

    /** What {@link #addFollowListener} calls. */
    public interface FollowListener {
        /** The cache follows the store from now on: every later change reaches the listeners. */
        void following();

        /** The cache lost the store: changes may be missed until the next {@link #following()}. */
        void lost();
    }

    /** The newest revision the cache has seen. */
    public long revision() {
        return revision;
    }

    /**
     * Subscribes to events under {@code prefix} with a revision greater than {@code fromRevision}.
     * Returns null when the window no longer holds events that old; the caller then watches the
     * store directly (which answers 410 Gone if the revision is compacted).
     *
     * @throws StoreException.Compacted if the store compacted {@code fromRevision} away: the
     *                                  window may still hold that history, but a watch resumes
     *                                  only where a list at its revision would work too
     */
    public Subscription subscribe(String prefix, long fromRevision) {
        synchronized (lock) {
            if (fromRevision < coveredFrom) return null;
        }
        if (fromRevision < revision) requireReadable(prefix, fromRevision);
        synchronized (lock) {
            if (fromRevision < coveredFrom) return null;
            Subscription subscription = new Subscription(prefix, fromRevision, subscriberQueueLimit);
            for (CachedEvent e : window) {
                if (e.revision() > fromRevision && e.key().startsWith(prefix)) subscription.offer(e);
            }
            subscribers.add(subscription);
            return subscription;
        }
    }

    /**
     * Compaction is not seen on the cache's own watch, and the window may be older than the
     * store's retention, so ask the store: one read of at most one key at that revision. A store
     * that cannot be reached compacts nothing either; the window then serves the watch, as it
     * would have a moment before.
     */
    private void requireReadable(String prefix, long fromRevision) {
        try {
            store.list(prefix, fromRevision, 1, null);
        } catch (StoreException.FutureRevision newerThanTheStore) {
            // nothing to check: the watch waits for that revision
        } catch (StoreException.Unavailable e) {
            log.debug("cannot check revision {} against compaction ({}); serving it from the window", fromRevision,
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        if (watch != null) watch.close();
        subscribers.forEach(s -> s.end("the server is shutting down"));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A subscriber's queue of events. Closed by its reader when the client goes away. */
    public final class Subscription implements AutoCloseable {
        private final String prefix;
        private final long fromRevision;
        private final int limit;
        private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        private volatile String endReason;

        private Subscription(String prefix, long fromRevision, int limit) {
            this.prefix = prefix;
            this.fromRevision = fromRevision;
            this.limit = limit;
        }

        private void offer(CachedEvent event) {
            if (event.revision() <= fromRevision || endReason != null) return;
            if (queue.size() >= limit) {
                end("the client fell behind by " + limit + " events");
                return;
            }
            queue.add(event);
        }

        private void end(String reason) {
            endReason = reason;
            queue.add(reason);
        }

        /**
         * The next event, waiting at most {@code timeoutMillis}; null on timeout.
         * Throws {@link Ended} once the subscription was ended by the cache.
         */
        public CachedEvent poll(long timeoutMillis) throws InterruptedException, Ended {
            Object next = queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
            if (next instanceof String reason) throw new Ended(reason);
            return (CachedEvent) next;
        }

        /** Drains what is queued without waiting (for batched writes). */
        public void drainTo(List<CachedEvent> sink, int max) {
            for (int n = 0; n < max && queue.peek() instanceof CachedEvent; n++) {
                sink.add((CachedEvent) queue.poll());
            }
        }

        @Override
        public void close() {
            subscribers.remove(this);
        }
    }

    /** The cache ended a subscription; the client should list and watch again. */
    public static final class Ended extends Exception {
        public Ended(String reason) {
            super(reason, null, false, false);
        }
    }
}
