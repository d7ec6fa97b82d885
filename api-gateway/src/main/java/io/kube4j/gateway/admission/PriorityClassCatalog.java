package io.kube4j.gateway.admission;

import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.store.Store;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The PriorityClasses the Priority admission plugin consults on every pod create, held in memory
 * while a watch feeds it (as kube-apiserver's plugin reads its informer's lister), so that a pod
 * create costs no etcd read for them.
 *
 * <p>Until {@link #following()} is called, and again after {@link #lost()}, every lookup reads
 * the store: without a watch behind it the catalog could not know of changes. Once following, the
 * first lookup lists the classes (after the watch started, so that list and events together miss
 * nothing) and later lookups are answered from memory, merged with {@link #observed}/{@link
 * #deleted} by mod revision, the newer winning. A named class that memory does not hold is read
 * from the store before it is refused, so a class created a moment ago is found and one that does
 * not exist is refused exactly as before; the global default is the one a watch has delivered,
 * which may lag a write by the watch latency, as on Kubernetes.
 *
 * <p>Thread-safe. Objects handed out are shared and must not be changed.
 */
public final class PriorityClassCatalog {

    private final Store store;
    private final String prefix = BuiltInTypes.PRIORITY_CLASS.keyPrefix();
    /** Stored classes and deletions (null object) by key, each with its revision. */
    private final Map<String, Entry> entries = new HashMap<>();
    private boolean following;
    private boolean listed;
    /** Moves with every {@link #following()} and {@link #lost()}: a list begun before belongs to the past. */
    private long epoch;

    private record Entry(long revision, ObjectNode object) {}

    public PriorityClassCatalog(Store store) {
        this.store = store;
    }

    /** A watch from now on feeds {@link #observed} and {@link #deleted}: memory may serve once listed. */
    public synchronized void following() {
        following = true;
        listed = false;
        epoch++;
    }

    /** The watch feeding the catalog broke: back to reading the store until {@link #following()}. */
    public synchronized void lost() {
        following = false;
        listed = false;
        epoch++;
    }

    /** A stored value of some key, from a watch event or a read; other prefixes are ignored. */
    public void observed(Store.KeyValue kv) {
        if (!kv.key().startsWith(prefix)) return;
        ObjectNode object = StoredObjects.parse(kv.value()).orElse(null);
        if (object == null) return;
        synchronized (this) {
            merge(kv.key(), new Entry(kv.modRevision(), object));
        }
    }

    /** A deletion of some key at {@code revision}; other prefixes are ignored. */
    public void deleted(String key, long revision) {
        if (!key.startsWith(prefix)) return;
        synchronized (this) {
            merge(key, new Entry(revision, null));
        }
    }

    /** The class named {@code name}, if it exists. */
    public Optional<ObjectNode> get(String name) {
        String key = BuiltInTypes.PRIORITY_CLASS.key(null, name);
        if (fromMemory()) {
            synchronized (this) {
                Entry entry = entries.get(key);
                if (entry != null && entry.object() != null) return Optional.of(entry.object());
            }
        }
        Optional<Store.KeyValue> stored = store.get(key);
        stored.ifPresent(this::observed);
        return stored.flatMap(kv -> StoredObjects.parse(kv.value()));
    }

    /** Every class that exists. */
    public List<ObjectNode> all() {
        if (fromMemory()) {
            synchronized (this) {
                List<ObjectNode> live = new ArrayList<>();
                for (Entry e : entries.values()) if (e.object() != null) live.add(e.object());
                return live;
            }
        }
        return StoredObjects.list(store, BuiltInTypes.PRIORITY_CLASS);
    }

    /**
     * Whether memory may answer, listing first (outside the lock: the watch thread must not wait on
     * etcd) when it was not listed since the watch started.
     */
    private boolean fromMemory() {
        long listingEpoch;
        synchronized (this) {
            if (!following) return false;
            if (listed) return true;
            listingEpoch = epoch;
        }
        Store.ListResult list = store.list(prefix, 0, 0, null);
        synchronized (this) {
            if (epoch != listingEpoch) return false;
            Map<String, Store.KeyValue> present = new HashMap<>();
            for (Store.KeyValue kv : list.items()) present.put(kv.key(), kv);
            // What memory holds that the list (newer than it) no longer has was deleted meanwhile.
            for (Map.Entry<String, Entry> e : List.copyOf(entries.entrySet())) {
                if (!present.containsKey(e.getKey()) && e.getValue().revision() <= list.revision()) {
                    entries.put(e.getKey(), new Entry(list.revision(), null));
                }
            }
            for (Store.KeyValue kv : present.values()) {
                StoredObjects.parse(kv.value()).ifPresent(o -> merge(kv.key(), new Entry(kv.modRevision(), o)));
            }
            listed = true;
            return true;
        }
    }

    private void merge(String key, Entry next) {
        Entry known = entries.get(key);
        if (known == null || known.revision() < next.revision()) entries.put(key, next);
    }
}
