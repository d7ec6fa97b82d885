package io.kube4j.proxy.policy;

/**
 * Programs a node's NetworkPolicy filtering.
 *
 * <p>Contract: {@link #sync} is called from one thread at a time with the whole desired state;
 * it is idempotent (equal rules twice program nothing the second time) and applies each call in
 * one transaction. A failed call throws and the next call programs everything again.
 */
public interface PolicyBackend {

    void sync(PolicyRules rules) throws Exception;

    /** Removes what this back end programmed; idempotent. */
    void cleanup() throws Exception;
}
