package io.kube4j.gateway.protobuf;

/**
 * How Go's encoding/json renders one field of a Kubernetes API struct, the facts a protobuf
 * descriptor does not carry.
 *
 * @param jsonName  the JSON property name (empty for an inlined embedded struct)
 * @param omitEmpty the field's tag says {@code omitempty}: a zero value disappears from JSON
 * @param pointer   the Go field is a pointer: a zero value on the wire is meaningful and is rendered
 * @param inline    an embedded struct whose properties are promoted into the parent object
 */
record FieldShape(String jsonName, boolean omitEmpty, boolean pointer, boolean inline) {

    /**
     * The shape assumed for a field the Go declarations do not mention (a type the table predates):
     * plain proto2 presence, so a field on the wire is rendered and an absent one is not.
     */
    static FieldShape byPresence(String protoName) {
        return new FieldShape(protoName, true, true, false);
    }
}
