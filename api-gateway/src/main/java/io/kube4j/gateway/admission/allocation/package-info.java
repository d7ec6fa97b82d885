/**
 * Allocation of shared ranges (Service cluster IPs, node ports) across gateway replicas: pure
 * range arithmetic ({@link io.kube4j.gateway.admission.allocation.IpRange},
 * {@link io.kube4j.gateway.admission.allocation.PortRange}) and claims kept as one store key per
 * value ({@link io.kube4j.gateway.admission.allocation.RangeAllocator}), made atomic by the
 * store's create-if-absent.
 */
package io.kube4j.gateway.admission.allocation;
