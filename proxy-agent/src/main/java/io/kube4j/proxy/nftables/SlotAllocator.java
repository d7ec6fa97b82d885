package io.kube4j.proxy.nftables;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Blocks of endpoint slots in the {@code backends} map, one block per Service port: a block holds
 * a power-of-two number of slots (the endpoints fit; a few more can come without moving), so a
 * Service keeps its block, and its chain's rule, while its endpoint count moves within the size.
 * Freed blocks are reused by size. Not thread-safe (the sync thread's).
 */
final class SlotAllocator {

    /** Slot numbers are 32-bit conntrack marks; 0 is left alone as "no mark". */
    private static final long FIRST = 16;
    private static final long LIMIT = 0xffffffffL;

    private long next = FIRST;
    private final Map<Integer, ArrayDeque<Long>> free = new HashMap<>();

    static int capacity(int endpoints) {
        int n = Math.max(1, endpoints);
        return Integer.bitCount(n) == 1 ? n : Integer.highestOneBit(n) << 1;
    }

    long allocate(int endpoints) {
        int size = capacity(endpoints);
        ArrayDeque<Long> reusable = free.get(size);
        if (reusable != null && !reusable.isEmpty()) return reusable.pop();
        if (next + size > LIMIT) throw new IllegalStateException("out of endpoint slots");
        long base = next;
        next += size;
        return base;
    }

    void release(long base, int endpoints) {
        free.computeIfAbsent(capacity(endpoints), k -> new ArrayDeque<>()).push(base);
    }
}
