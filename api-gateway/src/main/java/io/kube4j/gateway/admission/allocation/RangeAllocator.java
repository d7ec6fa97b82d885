package io.kube4j.gateway.admission.allocation;

import io.kube4j.store.Store;
import io.kube4j.store.StoreException;

import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hands out the values of an {@link AllocationRange}, each at most once across every gateway
 * replica: a value is claimed by creating the key {@code <prefix><value>} in the store, which
 * fails when another owner holds it. The key's value names the {@link Owner}; only that owner
 * releases it.
 *
 * <p>Thread-safe and stateless apart from the store. On a dry run nothing is written: the answer
 * says whether the value is free now. Keys live outside {@code /registry/} so that they are not
 * relayed to Kafka as objects.
 */
public final class RangeAllocator {

    private final AllocationRange range;
    private final String prefix;
    private final String alreadyAllocated;
    private final String notInRange;

    /**
     * @param prefix           key prefix ending in {@code /}, e.g. {@code /kube4j/allocations/nodeports/}
     * @param alreadyAllocated the refusal message for a taken value
     * @param notInRange       the refusal message for a value outside the range; {@code {value}} stands for the value
     */
    public RangeAllocator(AllocationRange range, String prefix, String alreadyAllocated, String notInRange) {
        if (!prefix.endsWith("/")) throw new IllegalArgumentException("prefix must end with /: " + prefix);
        this.range = range;
        this.prefix = prefix;
        this.alreadyAllocated = alreadyAllocated;
        this.notInRange = notInRange;
    }

    public AllocationRange range() {
        return range;
    }

    public String key(String value) {
        return prefix + value;
    }

    /** Claims one requested value for {@code owner}. */
    public Allocation allocate(Store store, String value, Owner owner, boolean dryRun) {
        if (range.offsetOf(value).isEmpty()) return new Allocation.Refused(Allocation.Reason.NOT_IN_RANGE, notInRange.replace("{value}", value));
        if (dryRun) {
            return store.get(key(value)).isPresent()
                    ? new Allocation.Refused(Allocation.Reason.ALREADY_ALLOCATED, alreadyAllocated)
                    : new Allocation.Allocated(value);
        }
        try {
            store.create(key(value), owner.toBytes());
            return new Allocation.Allocated(value);
        } catch (StoreException.KeyExists e) {
            return new Allocation.Refused(Allocation.Reason.ALREADY_ALLOCATED, alreadyAllocated);
        }
    }

    /**
     * Claims any free value that is not reserved, starting the search at a random offset so that
     * concurrent claimants rarely collide; a collision moves on to the next free value.
     */
    public Allocation allocateNext(Store store, Owner owner, boolean dryRun) {
        Set<String> taken = new HashSet<>();
        for (Store.KeyValue kv : store.list(prefix, 0, 0, null).items()) taken.add(kv.key().substring(prefix.length()));
        long size = range.size();
        long start = ThreadLocalRandom.current().nextLong(size);
        for (long i = 0; i < size; i++) {
            long offset = (start + i) % size;
            if (range.reserved(offset)) continue;
            String value = range.valueAt(offset);
            if (taken.contains(value)) continue;
            if (dryRun) return new Allocation.Allocated(value);
            try {
                store.create(key(value), owner.toBytes());
                return new Allocation.Allocated(value);
            } catch (StoreException.KeyExists e) {
                taken.add(value);
            }
        }
        return new Allocation.Refused(Allocation.Reason.FULL, "range is full");
    }

    /** Releases {@code value} if {@code owner} holds it; anything else is left alone. Idempotent. */
    public void release(Store store, String value, Owner owner) {
        OptionalLong offset = range.offsetOf(value);
        if (offset.isEmpty()) return;
        store.get(key(value)).ifPresent(kv -> {
            if (!owner.holds(kv.value())) return;
            try {
                store.delete(kv.key(), kv.modRevision());
            } catch (StoreException.NotFound | StoreException.Conflict e) {
                // Released or re-claimed meanwhile: not ours to touch any more.
            }
        });
    }

    /** Whether {@code owner} holds {@code value}. */
    public boolean holds(Store store, String value, Owner owner) {
        return store.get(key(value)).map(kv -> owner.holds(kv.value())).orElse(false);
    }
}
