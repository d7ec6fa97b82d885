package io.kube4j.controller.autoscaling;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Settings of the HorizontalPodAutoscaler controller, under
 * {@code kube4j.controllers.horizontal-pod-autoscaler}.
 *
 * @param syncPeriod how often each autoscaler reads its metrics and may rescale its target, whether or not anything
 *                   changed (kube-controller-manager's {@code --horizontal-pod-autoscaler-sync-period}, 15 s)
 */
@ConfigurationProperties("kube4j.controllers.horizontal-pod-autoscaler")
public record HorizontalPodAutoscalerProperties(Duration syncPeriod) {

    public HorizontalPodAutoscalerProperties {
        syncPeriod = syncPeriod == null ? HorizontalPodAutoscalerReconciler.DEFAULT_SYNC_PERIOD : syncPeriod;
        if (syncPeriod.isNegative() || syncPeriod.isZero()) {
            throw new IllegalArgumentException("kube4j.controllers.horizontal-pod-autoscaler.sync-period must be positive");
        }
    }
}
