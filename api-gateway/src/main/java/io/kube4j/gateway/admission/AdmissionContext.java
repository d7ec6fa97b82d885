package io.kube4j.gateway.admission;

import io.kube4j.store.Store;

/**
 * What a {@link KindStrategy} may use while admitting one request.
 *
 * @param store  the store, for allocations kept as keys of their own (under {@code /kube4j/allocations/}, outside
 *               {@code /registry/} so that they are not relayed as objects)
 * @param dryRun true for {@code dryRun=All}: nothing may be persisted, allocations included
 */
public record AdmissionContext(Store store, boolean dryRun) {}
