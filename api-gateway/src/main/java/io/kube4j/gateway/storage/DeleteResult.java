package io.kube4j.gateway.storage;

import tools.jackson.databind.node.ObjectNode;

/**
 * The outcome of a delete.
 *
 * @param object  the object's last state: gone when {@code deleted}, else marked for deletion
 * @param deleted whether the object was removed from storage now (else it awaits finalizers or a grace period)
 */
public record DeleteResult(ObjectNode object, boolean deleted) {}
