package io.kube4j.gateway.metrics;

import io.lettuce.core.ClientOptions;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The metrics API's store: Redis through Spring Boot's auto-configured connection
 * ({@code spring.data.redis.*}). Redis is optional for the API: nothing connects until a metrics
 * request arrives, and while Redis is down a command is refused at once (a 503) rather than queued
 * until the connection comes back.
 */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {

    @Bean
    public MetricsSource metricsSource(StringRedisTemplate redis) {
        return new RedisMetricsSource(redis);
    }

    @Bean
    public LettuceClientOptionsBuilderCustomizer rejectCommandsWhileDisconnected() {
        return options -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
    }
}
