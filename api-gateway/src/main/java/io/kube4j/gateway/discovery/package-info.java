/**
 * Discovery: {@code /api}, {@code /apis} (legacy and aggregated {@code apidiscovery.k8s.io/v2}),
 * {@code /api/v1}, {@code /apis/{group}[/{version}]} and {@code /version}, computed from the
 * {@link io.kube4j.machinery.registry.ResourceRegistry}'s current content.
 */
package io.kube4j.gateway.discovery;
