package io.kube4j.machinery.informer;

import java.util.HashMap;
import java.util.Map;

/**
 * Which change-feed records an informer has already applied. The relay publishes each topic's
 * records in revision order and, after a crash, repeats some; so within one partition a record
 * whose revision is not above the highest applied one is a repeat. Records at or below the
 * revision of the informer's last list are already in the list. Not thread-safe: owned by the
 * informer's thread.
 */
final class FeedPosition {

    private long listRevision;
    private final Map<Integer, Long> highest = new HashMap<>();

    /** A new list at {@code revision} replaced the cache: everything at or below it is known. */
    void listed(long revision) {
        listRevision = revision;
        highest.clear();
    }

    /** Whether the record at {@code revision} in {@code partition} is new; if so it counts as applied. */
    boolean admit(int partition, long revision) {
        long floor = Math.max(listRevision, highest.getOrDefault(partition, 0L));
        if (revision <= floor) return false;
        highest.put(partition, revision);
        return true;
    }

    long listRevision() {
        return listRevision;
    }
}
