package io.kube4j.gateway.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;

/**
 * The Kubernetes types whose JSON form is not the object of their protobuf fields: Go gives them
 * their own JSON marshalling, and both directions of the codec treat them alike.
 */
enum WellKnown {
    /** metav1.Time: RFC 3339, whole seconds; the zero time is {@code null}. */
    TIME,
    /** metav1.MicroTime: RFC 3339 with microseconds; the zero time is {@code null}. */
    MICRO_TIME,
    /** metav1.Duration: Go's duration string. */
    DURATION,
    /** resource.Quantity and QuantityValue: their canonical string. */
    QUANTITY,
    /** intstr.IntOrString: a JSON number or string. */
    INT_OR_STRING,
    /** RawExtension, FieldsV1 and apiextensions JSON: their bytes are embedded JSON. */
    RAW_JSON,
    /** JSONSchemaPropsOrBool: {@code true}/{@code false} or a schema. */
    SCHEMA_OR_BOOL,
    /** JSONSchemaPropsOrArray: a schema or an array of schemas. */
    SCHEMA_OR_ARRAY,
    /** JSONSchemaPropsOrStringArray: a schema or an array of strings. */
    SCHEMA_OR_STRING_ARRAY,
    /** A Go named slice type (metav1.Verbs, ExtraValue): a JSON array, its protobuf message a wrapper. */
    ARRAY_WRAPPER;

    private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";
    private static final String APIEXTENSIONS = "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.";

    /** The special treatment a message type needs, or null for a plain JSON object. */
    static WellKnown of(Descriptor type, GoJsonShapes shapes) {
        String name = type.getFullName();
        switch (name) {
            case META + "Time" -> { return TIME; }
            case META + "MicroTime" -> { return MICRO_TIME; }
            case META + "Duration" -> { return DURATION; }
            case META + "FieldsV1", "k8s.io.apimachinery.pkg.runtime.RawExtension" -> { return RAW_JSON; }
            case "k8s.io.apimachinery.pkg.api.resource.Quantity",
                 "k8s.io.apimachinery.pkg.api.resource.QuantityValue" -> { return QUANTITY; }
            case "k8s.io.apimachinery.pkg.util.intstr.IntOrString" -> { return INT_OR_STRING; }
            default -> { }
        }
        if (name.startsWith(APIEXTENSIONS)) {
            String simple = type.getName();
            switch (simple) {
                case "JSON" -> { return RAW_JSON; }
                case "JSONSchemaPropsOrBool" -> { return SCHEMA_OR_BOOL; }
                case "JSONSchemaPropsOrArray" -> { return SCHEMA_OR_ARRAY; }
                case "JSONSchemaPropsOrStringArray" -> { return SCHEMA_OR_STRING_ARRAY; }
                default -> { }
            }
        }
        if (type.getFields().size() == 1 && !shapes.knows(name)) {
            FieldDescriptor only = type.getFields().getFirst();
            if (only.getName().equals("items") && only.isRepeated() && !only.isMapField()) return ARRAY_WRAPPER;
        }
        return null;
    }
}
