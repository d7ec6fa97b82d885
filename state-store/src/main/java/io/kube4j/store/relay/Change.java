package io.kube4j.store.relay;

/**
 * One change that etcd committed, as the relay receives it from its watch: a pure value, free of
 * any client library's types.
 *
 * @param key           the etcd key
 * @param value         the value after a put; empty for a delete
 * @param previousValue the value before the change, or {@code null} when etcd no longer has it
 * @param deleted       whether the change deleted the key
 * @param created       whether a put created the key (its version is 1)
 * @param revision      the mod revision of the change: for a delete, the revision that deleted
 */
public record Change(String key, byte[] value, byte[] previousValue, boolean deleted, boolean created, long revision) {
}
