package io.kube4j.controller.podgc;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Settings of the pod garbage collector, under {@code kube4j.controllers.podgc}.
 *
 * @param terminatedPodThreshold terminated pods kept before the oldest are removed, 0 for no limit; kube's terminated-pod-gc-threshold (12500)
 * @param period                 how often the collector sweeps (kube's gcCheckPeriod, 20 s)
 * @param quarantine             how long a node must be missing before the pods bound to it are removed (kube's 40 s)
 */
@ConfigurationProperties("kube4j.controllers.podgc")
public record PodGcProperties(Integer terminatedPodThreshold, Duration period, Duration quarantine) {

    public PodGcProperties {
        terminatedPodThreshold = terminatedPodThreshold == null ? 12500 : terminatedPodThreshold;
        period = period == null ? Duration.ofSeconds(20) : period;
        quarantine = quarantine == null ? Duration.ofSeconds(40) : quarantine;
        if (period.isNegative() || period.isZero()) throw new IllegalArgumentException("kube4j.controllers.podgc.period must be positive");
        if (quarantine.isNegative()) throw new IllegalArgumentException("kube4j.controllers.podgc.quarantine must not be negative");
    }

    public static PodGcProperties defaults() {
        return new PodGcProperties(null, null, null);
    }
}
