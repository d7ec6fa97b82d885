package io.kube4j.node.node;

import io.kube4j.machinery.ephemeral.EphemeralKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.time.Duration;

/**
 * The node's heartbeat in Redis, under {@link EphemeralKeys#heartbeat}: the epoch milliseconds of
 * the beat, expiring after {@link EphemeralKeys#HEARTBEAT_TTL_SECONDS}. Redis being down costs a
 * warning, never the agent: the heartbeat is ephemeral by design.
 */
public interface Heartbeat {

    void beat(String node, long epochMillis);

    /** No heartbeat (no Redis configured). */
    static Heartbeat none() {
        return (node, epochMillis) -> {
        };
    }

    /** A heartbeat written with Spring Data Redis. */
    static Heartbeat redis(StringRedisTemplate redis) {
        Logger log = LoggerFactory.getLogger(Heartbeat.class);
        boolean[] failing = {false};
        return (node, epochMillis) -> {
            try {
                redis.opsForValue().set(EphemeralKeys.heartbeat(node), Long.toString(epochMillis),
                        Duration.ofSeconds(EphemeralKeys.HEARTBEAT_TTL_SECONDS));
                if (failing[0]) log.info("heartbeats of {} reach Redis again", node);
                failing[0] = false;
            } catch (RuntimeException e) {
                if (!failing[0]) log.warn("heartbeat of {} not written to Redis: {}", node, e.toString());
                failing[0] = true;
            }
        };
    }
}
