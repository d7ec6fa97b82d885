package io.kube4j.gateway.watch;

import io.kube4j.machinery.object.Json;
import io.kube4j.machinery.object.KubeObject;
import io.kube4j.store.Store;
import tools.jackson.databind.node.ObjectNode;

/**
 * One change seen by the {@link WatchCache}, shared by every subscriber: the decoded objects are
 * computed once, on first use, and must not be changed by readers.
 */
public final class CachedEvent {

    private final Store.Event event;
    private volatile ObjectNode object;
    private volatile ObjectNode previous;

    CachedEvent(Store.Event event) {
        this.event = event;
    }

    /** Wraps an event that did not come through the cache (a direct store watch). */
    public static CachedEvent of(Store.Event event) {
        return new CachedEvent(event);
    }

    public long revision() {
        return event.revision();
    }

    public String key() {
        return event.current().key();
    }

    public boolean isDelete() {
        return event.type() == Store.Event.Type.DELETE;
    }

    /** The key's stored value after the change, as etcd holds it; for a delete, the tombstone. */
    public Store.KeyValue stored() {
        return event.current();
    }

    public boolean isCreate() {
        return event.isCreate();
    }

    /**
     * The object after the change with resourceVersion set to this event's revision; for a delete,
     * the last state before it (as kube-apiserver sends in DELETED events). Read-only.
     */
    public ObjectNode object() {
        ObjectNode o = object;
        if (o == null) {
            byte[] value = isDelete() ? event.previous().value() : event.current().value();
            o = Json.parseStored(value);
            KubeObject.setResourceVersion(o, revision());
            object = o;
        }
        return o;
    }

    /** The object before the change (resourceVersion of that state), or null for a create. Read-only. */
    public ObjectNode previous() {
        if (event.previous() == null) return null;
        ObjectNode p = previous;
        if (p == null) {
            p = Json.parseStored(event.previous().value());
            KubeObject.setResourceVersion(p, event.previous().modRevision());
            previous = p;
        }
        return p;
    }
}
