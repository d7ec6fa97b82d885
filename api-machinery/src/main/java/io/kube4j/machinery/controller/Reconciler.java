package io.kube4j.machinery.controller;

/**
 * Brings one object's world to its desired state. Called with a key ({@code namespace/name}) from
 * the work queue; reads the current state from informer caches (level-based: it never relies on
 * which event caused the call), writes through an {@link io.kube4j.machinery.client.ObjectClient}
 * with resourceVersion preconditions, and is idempotent — calling it twice in a row does nothing
 * the second time.
 *
 * <p>One key is never reconciled by two threads (or, with {@link WorkShards}, two replicas) at
 * once. An exception puts the key back with exponential backoff; a conflict (409) is the normal
 * way to learn the cache was stale.
 */
@FunctionalInterface
public interface Reconciler {

    Result reconcile(String key) throws Exception;
}
