package io.kube4j.gateway.http;

import io.kube4j.machinery.registry.ResourceType;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/** Renders objects as a {@code meta.k8s.io/v1 Table}, the form {@code kubectl get} prints. Thread-safe. */
public interface TablePrinter {

    /**
     * @param listMetadata  the list's metadata (resourceVersion, continue), copied into the table
     * @param includeObject None, Metadata or Object: what each row carries besides its cells
     * @param withHeaders   whether the column definitions are included (not for watch events after the first)
     */
    ObjectNode table(ResourceType type, List<ObjectNode> objects, ObjectNode listMetadata, String includeObject,
                     boolean withHeaders);
}
