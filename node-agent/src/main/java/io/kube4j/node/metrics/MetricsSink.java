package io.kube4j.node.metrics;

import io.kube4j.machinery.ephemeral.EphemeralKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.time.Duration;
import java.util.Map;

/**
 * Where metrics documents go: Redis, each key expiring after
 * {@link EphemeralKeys#METRICS_TTL_SECONDS} so that a silent node's metrics vanish. Redis being
 * down costs a warning, never the agent. Thread-safe.
 */
public interface MetricsSink {

    /** Writes every key → value; best effort. */
    void write(Map<String, String> documents);

    /** No metrics store (no Redis configured). */
    static MetricsSink none() {
        return documents -> {
        };
    }

    /** Metrics written with Spring Data Redis, in one pipeline. */
    static MetricsSink redis(StringRedisTemplate redis) {
        Logger log = LoggerFactory.getLogger(MetricsSink.class);
        Duration ttl = Duration.ofSeconds(EphemeralKeys.METRICS_TTL_SECONDS);
        boolean[] failing = {false};
        return documents -> {
            if (documents.isEmpty()) return;
            try {
                redis.executePipelined(new org.springframework.data.redis.core.SessionCallback<Object>() {
                    @Override
                    @SuppressWarnings("unchecked")
                    public <K, V> Object execute(org.springframework.data.redis.core.RedisOperations<K, V> operations) {
                        var ops = (org.springframework.data.redis.core.RedisOperations<String, String>) operations;
                        documents.forEach((key, value) -> ops.opsForValue().set(key, value, ttl));
                        return null;
                    }
                });
                if (failing[0]) log.info("metrics reach Redis again");
                failing[0] = false;
            } catch (RuntimeException e) {
                if (!failing[0]) log.warn("metrics not written to Redis: {}", e.toString());
                failing[0] = true;
            }
        };
    }
}
