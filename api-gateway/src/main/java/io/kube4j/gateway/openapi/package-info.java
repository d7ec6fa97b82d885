/**
 * OpenAPI v3 (index and one document per group version) and Swagger 2.0 documents generated
 * from the fabric8 model classes and the CRDs' schemas, and the unknown-field check behind
 * {@code fieldValidation=Strict}.
 */
package io.kube4j.gateway.openapi;
