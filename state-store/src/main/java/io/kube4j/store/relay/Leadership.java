package io.kube4j.store.relay;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * This relay's leadership: the leader key, created under a lease that a background thread keeps
 * alive. Leadership counts as held only until the last successful keep-alive's request time plus
 * the TTL, so this relay stops believing it leads no later than etcd expires its lease and lets a
 * standby take over. Writes that must come from the leader compare {@link #fence()} in their
 * transaction: a stale leader's write fails instead of overwriting its successor's.
 *
 * <p>Thread-safe. {@link #close} revokes the lease, which hands leadership over at once.
 */
public final class Leadership implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Leadership.class);

    private final Lease leases;
    private final long leaseId;
    private final ByteSequence leaderKey;
    private final long leaderRevision;
    private final long ttlNanos;
    private final ScheduledExecutorService keeper;
    private volatile long heldUntilNanos;
    private volatile boolean lost;

    Leadership(Lease leases, long leaseId, ByteSequence leaderKey, long leaderRevision, Duration ttl, long grantedAtNanos) {
        this.leases = leases;
        this.leaseId = leaseId;
        this.leaderKey = leaderKey;
        this.leaderRevision = leaderRevision;
        this.ttlNanos = ttl.toNanos();
        this.heldUntilNanos = grantedAtNanos + ttlNanos;
        this.keeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "relay-lease-keeper");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(100, ttl.toMillis() / 4);
        keeper.scheduleWithFixedDelay(this::keepAlive, period, period, TimeUnit.MILLISECONDS);
    }

    /** Whether this relay may still act as the leader; false for good once the lease is known to be gone. */
    public boolean isHeld() {
        return !lost && System.nanoTime() - heldUntilNanos < 0;
    }

    /** The condition "the leader key is still the one this relay created", for leader-only transactions. */
    public Cmp fence() {
        return new Cmp(leaderKey, Cmp.Op.EQUAL, CmpTarget.createRevision(leaderRevision));
    }

    /** Marks leadership lost, e.g. after a fenced write failed. */
    public void lose(String why) {
        if (!lost) log.warn("leadership lost: {}", why);
        lost = true;
    }

    public long leaseId() {
        return leaseId;
    }

    private void keepAlive() {
        if (lost) return;
        long sentAt = System.nanoTime();
        try {
            var response = leases.keepAliveOnce(leaseId).get(Math.max(1, ttlNanos / 3_000_000), TimeUnit.MILLISECONDS);
            if (response.getTTL() <= 0) {
                lose("lease " + Long.toHexString(leaseId) + " expired");
                return;
            }
            heldUntilNanos = sentAt + Math.min(ttlNanos, TimeUnit.SECONDS.toNanos(response.getTTL()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (isNoSuchLease(e)) {
                lose("lease " + Long.toHexString(leaseId) + " no longer exists");
            } else if (isHeld()) {
                log.warn("lease keep-alive failed, leadership holds for {} ms more: {}",
                        Math.max(0, (heldUntilNanos - System.nanoTime()) / 1_000_000), e.toString());
            }
        }
    }

    private static boolean isNoSuchLease(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.etcd.jetcd.lease.NoSuchLeaseException) return true;
            if (t.getMessage() != null && t.getMessage().contains("requested lease not found")) return true;
        }
        return false;
    }

    /** Stops the keep-alive and revokes the lease (best effort: if etcd is unreachable, the lease expires by itself). */
    @Override
    public void close() {
        lost = true;
        keeper.shutdownNow();
        try {
            leases.revoke(leaseId).get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.info("could not revoke lease {}; it expires by itself: {}", Long.toHexString(leaseId), e.toString());
        }
    }
}
