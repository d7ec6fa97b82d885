package io.kube4j.store;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How much history the {@link Compactor} keeps.
 *
 * @param enabled   whether this process compacts at all
 * @param interval  how often it samples the revision and compacts
 * @param retention how much history stays readable at least (watches resume within it)
 */
@ConfigurationProperties("kube4j.compaction")
public record CompactorProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1m") Duration interval,
        @DefaultValue("5m") Duration retention) {

    public CompactorProperties {
        if (interval == null) interval = Duration.ofMinutes(1);
        if (retention == null) retention = Duration.ofMinutes(5);
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("kube4j.compaction.interval must be positive");
        }
    }

    /** One-minute rounds keeping five minutes of history. */
    public static CompactorProperties defaults() {
        return new CompactorProperties(true, null, null);
    }
}
