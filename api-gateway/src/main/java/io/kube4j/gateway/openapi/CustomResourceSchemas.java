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
    CustomResourceSchemas NONE = new CustomResourceSchemas() {
        @Override
        public Optional<JsonNode> openApiV3Schema(String group, String version, String kind) {
            return Optional.empty();
        }

        @Override
        public long generation() {
            return 0;
        }
    };

    /**
     * The {@code spec.versions[].schema.openAPIV3Schema} of the CRD version that serves
     * {@code group/version/kind}, or empty when there is none (or the type is not custom).
     */
    Optional<JsonNode> openApiV3Schema(String group, String version, String kind);

    /**
     * A number that grows whenever any schema may have changed, so the OpenAPI documents can be
     * cached until it moves; negative (the default) when the implementation cannot tell, and then
     * every schema is read again on every request.
     */
    default long generation() {
        return -1;
    }
}
