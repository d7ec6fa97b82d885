package io.kube4j.store.relay;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Leader election over one etcd key: the relay that creates the key (under its own lease) leads;
 * the others poll until the key is gone — deleted when the leader's lease is revoked or expires —
 * and race to create it. Only one relay publishes at a time; a dead leader is replaced within
 * its lease TTL plus one poll interval.
 *
 * <p>{@link #campaign} blocks the calling thread; it is meant for one relay thread.
 */
public final class EtcdLeaderElection {

    private static final Logger log = LoggerFactory.getLogger(EtcdLeaderElection.class);

    private final Client etcd;
    private final ByteSequence leaderKey;
    private final ByteSequence instanceId;
    private final Duration ttl;
    private final Duration pollInterval;
    private final Duration requestTimeout;

    public EtcdLeaderElection(Client etcd, RelayProperties properties) {
        this.etcd = etcd;
        this.leaderKey = bytes(properties.leaderKey());
        this.instanceId = bytes(properties.instanceId());
        this.ttl = Duration.ofSeconds(properties.leaseTtl().toSeconds());
        this.pollInterval = Duration.ofMillis(Math.min(500, Math.max(50, ttl.toMillis() / 10)));
        this.requestTimeout = Duration.ofMillis(Math.max(1000, ttl.toMillis() / 2));
    }

    /**
     * Blocks until this relay leads, or returns {@code null} once {@code wanted} turns false.
     * etcd failures are logged and retried.
     */
    public Leadership campaign(BooleanSupplier wanted) throws InterruptedException {
        String lastHolder = null;
        while (wanted.getAsBoolean()) {
            try {
                var current = etcd.getKVClient().get(leaderKey).get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
                if (current.getKvs().isEmpty()) {
                    Leadership won = tryAcquire();
                    if (won != null) return won;
                } else {
                    KeyValue holder = current.getKvs().getFirst();
                    if (holder.getValue().equals(instanceId)) {
                        // our own key from a session whose lease we could not revoke: clear it and race again
                        etcd.getKVClient().txn()
                                .If(new Cmp(leaderKey, Cmp.Op.EQUAL, CmpTarget.value(instanceId)))
                                .Then(Op.delete(leaderKey, DeleteOption.DEFAULT))
                                .commit().get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
                        continue;
                    }
                    String name = holder.getValue().toString(StandardCharsets.UTF_8);
                    if (!name.equals(lastHolder)) {
                        log.info("standing by: {} leads", name);
                        lastHolder = name;
                    }
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                log.warn("campaign for {} failed, retrying: {}", leaderKey, e.toString());
            }
            Thread.sleep(pollInterval);
        }
        return null;
    }

    private Leadership tryAcquire() throws Exception {
        long grantedAt = System.nanoTime();
        long leaseId = etcd.getLeaseClient().grant(ttl.toSeconds()).get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS).getID();
        var result = etcd.getKVClient().txn()
                .If(new Cmp(leaderKey, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(leaderKey, instanceId, PutOption.builder().withLeaseId(leaseId).build()))
                .Else(Op.get(leaderKey, GetOption.DEFAULT))
                .commit().get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!result.isSucceeded()) {
            etcd.getLeaseClient().revoke(leaseId);
            return null;
        }
        long revision = result.getHeader().getRevision();
        log.info("leading as {} (lease {}, leader key revision {})", instanceId.toString(StandardCharsets.UTF_8),
                Long.toHexString(leaseId), revision);
        return new Leadership(etcd.getLeaseClient(), leaseId, leaderKey, revision, ttl, grantedAt);
    }

    static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
