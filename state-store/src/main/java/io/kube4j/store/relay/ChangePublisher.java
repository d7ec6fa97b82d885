package io.kube4j.store.relay;

import java.time.Duration;

/**
 * Where relayed records go. Records of one key are delivered in the order they were published
 * (the relay publishes in revision order); each publish reports its outcome exactly once through
 * the callback, possibly on another thread.
 *
 * <p>One instance serves one leadership session and one thread; a failed instance is closed and
 * replaced, never reused.
 */
public interface ChangePublisher extends AutoCloseable {

    /** Outcome of one publish. */
    interface Callback {
        void acknowledged();

        void failed(RuntimeException cause);
    }

    /** Hands the record over for delivery; may block while the destination is being prepared. */
    void publish(RelayRecord record, Callback callback);

    /** Waits until everything published so far has an outcome, at most {@code timeout}. */
    void flush(Duration timeout);

    /** Drops whatever is not yet delivered and releases resources: for a relay that lost its leadership. */
    @Override
    void close();
}
