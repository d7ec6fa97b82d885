package io.kube4j.gateway.table;

import io.kube4j.machinery.errors.ApiException;

/** What each table row carries in its {@code object} field: the {@code includeObject} query parameter. */
public enum IncludeObject {
    /** No object. */
    NONE("None"),
    /** The object's metadata as a {@code PartialObjectMetadata}: the default. */
    METADATA("Metadata"),
    /** The whole object. */
    OBJECT("Object");

    private final String parameter;

    IncludeObject(String parameter) {
        this.parameter = parameter;
    }

    /** The query parameter's spelling: {@code None}, {@code Metadata} or {@code Object}. */
    public String parameter() {
        return parameter;
    }

    /**
     * Reads the {@code includeObject} query parameter; absent or empty means {@link #METADATA}.
     *
     * @throws ApiException 400 BadRequest for any other value, with kube-apiserver's message
     */
    public static IncludeObject fromParameter(String value) {
        if (value == null || value.isEmpty()) {
            return METADATA;
        }
        for (IncludeObject include : values()) {
            if (include.parameter.equals(value)) {
                return include;
            }
        }
        throw ApiException.badRequest("unrecognized includeObject value: \"" + value + "\"");
    }
}
