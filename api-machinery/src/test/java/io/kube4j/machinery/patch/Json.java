package io.kube4j.machinery.patch;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Test helper: JSON literals written with single quotes, for readable tables. */
final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {}

    static JsonNode json(String singleQuoted) {
        return MAPPER.readTree(singleQuoted.replace('\'', '"'));
    }

    /** JSON text as written, with no quote substitution (for values that contain quotes). */
    static JsonNode raw(String text) {
        return MAPPER.readTree(text);
    }
}
