/**
 * {@code metrics.k8s.io/v1beta1}: NodeMetrics and PodMetrics, the resource usage the node agents
 * write to Redis ({@link io.kube4j.machinery.ephemeral.EphemeralKeys}), served as metrics-server
 * serves them so that {@code kubectl top} works. Redis is optional for the API: without it these
 * requests are 503s and everything else is unaffected.
 */
package io.kube4j.gateway.metrics;
