package io.kube4j.controller.nodelifecycle;

import java.time.Instant;
import java.util.Optional;

/**
 * Where node agents' heartbeats are read ({@link io.kube4j.machinery.ephemeral.EphemeralKeys#heartbeat}).
 * Thread-safe. An unreadable store is an exception: the caller must not take it for silence.
 */
public interface Heartbeats {

    /** The time of the node's last heartbeat, or empty when none is recorded (never sent, or expired). */
    Optional<Instant> last(String node);
}
