package io.kube4j.proxy.sync;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The watches' event handler: records that something changed and asks for a sync. It never acts
 * on the event itself: the sync reads the whole current state from the caches (level-based), so
 * a burst of events is one sync, and a lost wakeup is repaired by the next one.
 *
 * <p>Updates that change only the status of a Node or the resourceVersion of a heartbeat-like
 * write still count: telling them apart costs more than the sync that finds nothing to do.
 * Thread-safe.
 */
public final class ChangeTracker<T extends HasMetadata> implements ResourceEventHandler<T> {

    private final Runnable requestSync;
    private final AtomicLong changes = new AtomicLong();

    public ChangeTracker(Runnable requestSync) {
        this.requestSync = requestSync;
    }

    @Override
    public void onAdd(T obj) {
        changed();
    }

    @Override
    public void onUpdate(T oldObj, T newObj) {
        // A resync delivers the same object again: no sync for that.
        if (oldObj != null && newObj != null && oldObj.getMetadata() != null && newObj.getMetadata() != null
                && Objects.equals(oldObj.getMetadata().getResourceVersion(), newObj.getMetadata().getResourceVersion())) {
            return;
        }
        changed();
    }

    @Override
    public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        changed();
    }

    /** Changes seen so far. */
    public long changes() {
        return changes.get();
    }

    private void changed() {
        changes.incrementAndGet();
        requestSync.run();
    }
}
