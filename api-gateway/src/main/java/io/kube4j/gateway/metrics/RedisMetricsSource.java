package io.kube4j.gateway.metrics;

import io.kube4j.machinery.errors.ApiException;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.util.ArrayList;
import java.util.List;

/** Metrics read from Redis with one MGET per request. Any failure to reach Redis is a 503. */
public final class RedisMetricsSource implements MetricsSource {

    private final StringRedisTemplate redis;

    public RedisMetricsSource(StringRedisTemplate redis) {
        this.redis = redis;
    }

    @Override
    public List<String> values(List<String> keys) {
        if (keys.isEmpty()) return List.of();
        try {
            List<String> values = redis.opsForValue().multiGet(keys);
            if (values == null) throw ApiException.serviceUnavailable("the metrics store answered nothing");
            return new ArrayList<>(values);
        } catch (DataAccessException | IllegalStateException e) {
            throw ApiException.serviceUnavailable("the metrics store (Redis) is unavailable: " + rootMessage(e));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
