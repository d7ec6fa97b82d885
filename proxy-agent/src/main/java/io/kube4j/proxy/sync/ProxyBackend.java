package io.kube4j.proxy.sync;

import io.kube4j.proxy.model.ProxyRules;

/**
 * A way of programming Service rules into the kernel (nftables, iptables, IPVS).
 *
 * <p>Contract: {@link #sync} is called from one thread at a time (the {@link SyncRunner}'s), with
 * the whole desired state each time; it is idempotent (the same rules twice program nothing new)
 * and applies each call in one transaction, so the kernel holds either the old rules or the new.
 * A failed call throws and leaves the back end ready for another: it then programs everything
 * again from scratch rather than trusting what it thinks the kernel holds.
 */
public interface ProxyBackend {

    /** The mode's name as configured: {@code nftables}, {@code iptables}, {@code ipvs}. */
    String mode();

    /** Programs {@code rules}, replacing what the previous call programmed. */
    void sync(ProxyRules rules) throws Exception;

    /** Removes everything this back end programmed (at shutdown with cleanup configured); idempotent. */
    void cleanup() throws Exception;

    /** Number of the last sync's kernel-side statements or commands, for the metrics; 0 before the first. */
    default long lastSyncSize() {
        return 0;
    }
}
