package io.kube4j.proxy.nftables;

import java.util.ArrayDeque;

/**
 * Numbers for the endpoint lists in the {@code backends} map. A list (a Service port's endpoints,
 * or its endpoints on this node under externalTrafficPolicy Local) holds its number for as long as
 * it exists, whatever its length: its endpoints are the elements {@code ID . 0} to
 * {@code ID . n-1}, and the number travels in the connection's conntrack mark from the rule that
 * chose the list to the shared rule that picks one of its endpoints. Released numbers are given
 * out again first. Not thread-safe (the sync thread's).
 */
final class BalancerIds {

    /** Numbers are 32-bit conntrack marks; 0 is left alone as "no mark". */
    static final long FIRST = 1;
    private static final long LIMIT = 0xffffffffL;

    private long next = FIRST;
    private final ArrayDeque<Long> free = new ArrayDeque<>();

    /** A number no list holds: a released one, else the lowest never given out. */
    long allocate() {
        Long reused = free.poll();
        if (reused != null) return reused;
        if (next > LIMIT) throw new IllegalStateException("out of endpoint list numbers");
        return next++;
    }

    /** Makes {@code id} available again; the caller no longer uses it. */
    void release(long id) {
        free.push(id);
    }
}
