/**
 * Kubernetes' protobuf wire format ({@code application/vnd.kubernetes.protobuf}), which kubectl
 * uses for the bodies of its typed commands and the auth and token subresources, and which client-go
 * prefers for answers. {@link io.kube4j.gateway.protobuf.ProtobufCodec} converts between it and the
 * JSON trees the rest of the gateway works with.
 *
 * <p>The message types come from the descriptors of {@code io.kubernetes:client-java-proto}; the JSON
 * shape of each field (pointer, {@code omitempty}, inlined embedded structs, which structs are kinds)
 * from {@code go-json-fields.tsv}, derived from Kubernetes' Go API types by
 * {@code api-gateway/tools/go_json_fields.py}. Regenerate the table when moving client-java-proto
 * to a newer Kubernetes version.
 */
package io.kube4j.gateway.protobuf;
