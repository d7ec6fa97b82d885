package io.kube4j.gateway.http;

import io.kube4j.machinery.registry.ResourceType;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies a PATCH body of one of Kubernetes' patch types to the current object. Pure: returns a
 * new tree, never changes {@code current}; throws ApiException (400, 415, 422, 409) for bad patches.
 */
public interface ObjectPatcher {

    /**
     * @param current     the stored object, or null when absent (only server-side apply may create)
     * @param contentType one of the patch media types in {@link MediaTypes}
     * @param fieldManager the request's fieldManager, for server-side apply
     * @param force       the request's force flag, for server-side apply
     */
    ObjectNode patch(ResourceType type, ObjectNode current, byte[] patch, String contentType, String fieldManager,
                     boolean force);
}
