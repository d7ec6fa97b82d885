/**
 * Resource metrics: every {@link io.kube4j.machinery.ephemeral.EphemeralKeys#METRICS_INTERVAL_SECONDS}
 * the agent samples the node ({@code /proc}) and its containers (CRI {@code ListContainerStats}),
 * turns two samples into usage rates ({@link UsageReport}, pure) and writes them to Redis
 * ({@link MetricsSink}), where the gateway serves them as {@code metrics.k8s.io}.
 */
package io.kube4j.node.metrics;
