package io.kube4j.gateway.openapi;

import tools.jackson.databind.JsonNode;

import java.util.Optional;

/**
 * The schemas of custom resources, as their CustomResourceDefinitions declare them. Implemented by
 * whoever keeps the established CRDs; the OpenAPI documents and the strict field validation
 * read it.
 *
 * <p>Contract: thread-safe and cheap (it is consulted on every OpenAPI request to detect
 * changes, so answer from memory); returns the same (equal) tree for as long as the CRD's
 * schema does not change; never mutates a tree it has returned. A type it has no schema for is
 * served as an object that keeps every field.
 */
public interface CustomResourceSchemas {

    /** No custom resource has a schema. */
    CustomResourceSchemas NONE = (group, version, kind) -> Optional.empty();

    /**
     * The {@code spec.versions[].schema.openAPIV3Schema} of the CRD version that serves
     * {@code group/version/kind}, or empty when there is none (or the type is not custom).
     */
    Optional<JsonNode> openApiV3Schema(String group, String version, String kind);
}
