package io.kube4j.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An in-memory {@link Store} with etcd's revision semantics, for unit tests of logic that
 * persists through the store. It keeps its whole history until {@link #compact}, so lists at a
 * revision and watches from a revision behave as on etcd. Not durable, not for production.
 */
public final class MemoryStore implements Store {

    private final Object lock = new Object();
    private final NavigableMap<String, KeyValue> current = new TreeMap<>();
    private final List<Event> log = new ArrayList<>();
    private final List<MemoryWatch> watches = new CopyOnWriteArrayList<>();
    private long revision;
    private long compacted;

    @Override
    public Optional<KeyValue> get(String key) {
        synchronized (lock) {
            return Optional.ofNullable(current.get(key));
        }
    }

    @Override
    public ListResult list(String prefix, long atRevision, long limit, String startKey) {
        synchronized (lock) {
            long rev = atRevision == 0 ? revision : atRevision;
            if (rev > revision) throw new StoreException.FutureRevision(rev, revision);
            if (atRevision != 0 && rev < compacted) throw new StoreException.Compacted(rev, compacted);
            NavigableMap<String, KeyValue> state = rev == revision ? current : stateAt(rev);
            String from = startKey == null || startKey.isEmpty() ? prefix : startKey;
            if (!from.startsWith(prefix)) {
                throw new IllegalArgumentException("start key " + startKey + " is not under the prefix " + prefix);
            }
            List<KeyValue> items = new ArrayList<>();
            long total = 0;
            for (Map.Entry<String, KeyValue> e : state.tailMap(from, true).entrySet()) {
                if (!e.getKey().startsWith(prefix)) break;
                total++;
                if (limit <= 0 || items.size() < limit) items.add(e.getValue());
            }
            long remaining = total - items.size();
            return new ListResult(List.copyOf(items), rev, remaining > 0, remaining);
        }
    }

    private NavigableMap<String, KeyValue> stateAt(long rev) {
        NavigableMap<String, KeyValue> state = new TreeMap<>();
        for (Event e : log) {
            if (e.revision() > rev) break;
            if (e.type() == Event.Type.PUT) state.put(e.current().key(), e.current());
            else state.remove(e.current().key());
        }
        return state;
    }

    @Override
    public KeyValue create(String key, byte[] value) {
        synchronized (lock) {
            if (current.containsKey(key)) throw new StoreException.KeyExists(key);
            long rev = ++revision;
            KeyValue kv = new KeyValue(key, value.clone(), rev, rev);
            current.put(key, kv);
            publish(new Event(Event.Type.PUT, kv, null));
            return kv;
        }
    }

    @Override
    public KeyValue update(String key, byte[] value, long expectedModRevision) {
        synchronized (lock) {
            KeyValue old = current.get(key);
            if (old == null) throw new StoreException.NotFound(key);
            if (old.modRevision() != expectedModRevision) throw new StoreException.Conflict(key, old);
            long rev = ++revision;
            KeyValue kv = new KeyValue(key, value.clone(), old.createRevision(), rev);
            current.put(key, kv);
            publish(new Event(Event.Type.PUT, kv, old));
            return kv;
        }
    }

    @Override
    public KeyValue delete(String key, long expectedModRevision) {
        synchronized (lock) {
            KeyValue old = current.get(key);
            if (old == null) throw new StoreException.NotFound(key);
            if (expectedModRevision != 0 && old.modRevision() != expectedModRevision) {
                throw new StoreException.Conflict(key, old);
            }
            long rev = ++revision;
            current.remove(key);
            KeyValue tombstone = new KeyValue(key, new byte[0], 0, rev);
            publish(new Event(Event.Type.DELETE, tombstone, old));
            return new KeyValue(key, old.value(), old.createRevision(), rev);
        }
    }

    private void publish(Event event) {
        log.add(event);
        for (MemoryWatch watch : watches) {
            if (event.revision() > watch.fromRevision && event.current().key().startsWith(watch.prefix)) {
                watch.queue.add(event);
            }
        }
    }

    @Override
    public Watch watch(String prefix, long fromRevision, WatchListener listener) {
        MemoryWatch watch = new MemoryWatch(prefix, fromRevision, listener);
        synchronized (lock) {
            if (fromRevision < compacted) {
                Thread.ofVirtual().start(() -> listener.onError(new StoreException.Compacted(fromRevision, compacted)));
                return () -> {};
            }
            for (Event e : log) {
                if (e.revision() > fromRevision && e.current().key().startsWith(prefix)) watch.queue.add(e);
            }
            watches.add(watch);
        }
        watch.thread = Thread.ofVirtual().name("memory-watch " + prefix).start(watch::run);
        return watch;
    }

    @Override
    public long currentRevision() {
        synchronized (lock) {
            return revision;
        }
    }

    @Override
    public long compactedRevision() {
        synchronized (lock) {
            return compacted;
        }
    }

    @Override
    public void compact(long rev) {
        synchronized (lock) {
            if (rev <= compacted) throw new StoreException.Compacted(rev, compacted);
            if (rev > revision) throw new StoreException.FutureRevision(rev, revision);
            compacted = rev;
            // The state at the compacted revision stays readable, as in etcd; the events stay too,
            // because lists at later revisions are replayed from them.
        }
    }

    @Override
    public void close() {
        watches.forEach(MemoryWatch::close);
    }

    private final class MemoryWatch implements Watch {
        final String prefix;
        final long fromRevision;
        final WatchListener listener;
        final LinkedBlockingQueue<Event> queue = new LinkedBlockingQueue<>();
        final AtomicBoolean closed = new AtomicBoolean();
        volatile Thread thread;

        MemoryWatch(String prefix, long fromRevision, WatchListener listener) {
            this.prefix = prefix;
            this.fromRevision = fromRevision;
            this.listener = listener;
        }

        void run() {
            try {
                while (!closed.get()) {
                    Event e = queue.take();
                    if (!closed.get()) listener.onEvent(e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                watches.remove(this);
                Thread t = thread;
                if (t != null) t.interrupt();
            }
        }
    }
}
