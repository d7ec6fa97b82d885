package io.kube4j.controller.nodelifecycle;

import io.kube4j.machinery.ephemeral.EphemeralKeys;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.time.Instant;
import java.util.Optional;

/** {@link Heartbeats} in Redis: the value of {@code kube4j:heartbeat:{node}} is the beat's epoch milliseconds. */
public final class RedisHeartbeats implements Heartbeats {

    private final StringRedisTemplate redis;

    public RedisHeartbeats(StringRedisTemplate redis) {
        this.redis = redis;
    }

    @Override
    public Optional<Instant> last(String node) {
        String value = redis.opsForValue().get(EphemeralKeys.heartbeat(node));
        if (value == null || value.isBlank()) return Optional.empty();
        try {
            return Optional.of(Instant.ofEpochMilli(Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
