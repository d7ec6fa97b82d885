package io.kube4j.machinery.object;

import io.kube4j.machinery.errors.ApiException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.util.List;

/**
 * The JSON and YAML mappers every role shares, with limits that keep hostile bodies from
 * exhausting the server (nesting depth, string and number lengths), and conversions that turn a
 * client's malformed body into a 400 rather than an exception.
 */
public final class Json {

    /** Deeper than any Kubernetes object; deeper bodies are refused. */
    public static final int MAX_NESTING_DEPTH = 100;

    private static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxStringLength(4 * 1024 * 1024)
            .maxNumberLength(100)
            .build();

    public static final JsonMapper MAPPER = JsonMapper.builder(
            JsonFactory.builder().streamReadConstraints(CONSTRAINTS).build()).build();

    public static final YAMLMapper YAML = YAMLMapper.builder(
            YAMLFactory.builder().streamReadConstraints(CONSTRAINTS).build()).build();

    public static final JsonNodeFactory NODES = MAPPER.getNodeFactory();

    private Json() {}

    /** Parses a JSON object from a client; anything else is a 400 BadRequest. */
    public static ObjectNode parseObject(byte[] body) {
        return asObject(readTree(body, false));
    }

    /** Parses a YAML document holding one object from a client; anything else is a 400 BadRequest. */
    public static ObjectNode parseYamlObject(byte[] body) {
        return asObject(readTree(body, true));
    }

    /** Parses any JSON value from a client (a JSON patch is an array); malformed → 400. */
    public static JsonNode readTree(byte[] body, boolean yaml) {
        try {
            JsonNode node = yaml ? YAML.readTree(body) : MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) throw ApiException.badRequest("the request body is empty");
            return node;
        } catch (JacksonException e) {
            throw ApiException.badRequest("the body of the request could not be decoded: " + firstLine(e.getOriginalMessage()));
        }
    }

    private static ObjectNode asObject(JsonNode node) {
        if (node instanceof ObjectNode object) return object;
        throw ApiException.badRequest("the body of the request must be a JSON object, not " + node.getNodeType());
    }

    /** Parses stored JSON, which is trusted to be an object. */
    public static ObjectNode parseStored(byte[] json) {
        return (ObjectNode) MAPPER.readTree(json);
    }

    public static byte[] write(JsonNode node) {
        return MAPPER.writeValueAsBytes(node);
    }

    /**
     * The JSON of a stored object with {@code metadata.resourceVersion} added as the last field of
     * its metadata: byte for byte what {@link #write} gives for the tree after
     * {@link KubeObject#setResourceVersion} appended it, without serializing the tree again.
     * {@code stored} is {@link #write}'s output for an object whose metadata has no resourceVersion.
     *
     * @return the JSON, or null when {@code stored} has no top-level {@code metadata} object
     */
    public static byte[] withResourceVersion(byte[] stored, long revision) {
        int end = metadataEnd(stored);
        if (end < 0) return null;
        byte[] field = ((stored[end - 1] == '{' ? "" : ",") + "\"resourceVersion\":\"" + revision + "\"")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = new byte[stored.length + field.length];
        System.arraycopy(stored, 0, out, 0, end);
        System.arraycopy(field, 0, out, end, field.length);
        System.arraycopy(stored, end, out, end + field.length, stored.length - end);
        return out;
    }

    /**
     * The index of the {@code '}'} that closes the top-level {@code metadata} object in compact JSON
     * as {@link #write} produces it, or -1 when there is none. Strings are skipped with their
     * escapes; bytes of multi-byte UTF-8 characters never equal the ASCII delimiters looked for.
     */
    static int metadataEnd(byte[] json) {
        int i = skipSpace(json, 0);
        if (i >= json.length || json[i] != '{') return -1;
        i++;
        while (true) {
            i = skipSpace(json, i);
            if (i >= json.length || json[i] != '"') return -1;
            int nameStart = i + 1;
            i = stringEnd(json, i);
            if (i < 0) return -1;
            boolean metadata = i - nameStart == 8 && java.util.Arrays.equals(json, nameStart, i, METADATA, 0, 8);
            i = skipSpace(json, i + 1);
            if (i >= json.length || json[i] != ':') return -1;
            i = skipSpace(json, i + 1);
            if (i >= json.length) return -1;
            if (metadata) return json[i] == '{' ? valueEnd(json, i) - 1 : -1;
            i = valueEnd(json, i);
            if (i < 0) return -1;
            i = skipSpace(json, i);
            if (i >= json.length || json[i] != ',') return -1;
            i++;
        }
    }

    private static final byte[] METADATA = "metadata".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static int skipSpace(byte[] json, int i) {
        while (i < json.length && (json[i] == ' ' || json[i] == '\n' || json[i] == '\r' || json[i] == '\t')) i++;
        return i;
    }

    /** The index of the quote closing the string that opens at {@code i}, or -1. */
    private static int stringEnd(byte[] json, int i) {
        for (i++; i < json.length; i++) {
            if (json[i] == '\\') i++;
            else if (json[i] == '"') return i;
        }
        return -1;
    }

    /** The index just past the value that starts at {@code i}, or -1 when it does not end. */
    private static int valueEnd(byte[] json, int i) {
        byte first = json[i];
        if (first == '"') {
            int end = stringEnd(json, i);
            return end < 0 ? -1 : end + 1;
        }
        if (first != '{' && first != '[') {
            while (i < json.length && json[i] != ',' && json[i] != '}' && json[i] != ']') i++;
            return i;
        }
        int depth = 0;
        for (; i < json.length; i++) {
            byte b = json[i];
            if (b == '"') {
                i = stringEnd(json, i);
                if (i < 0) return -1;
            } else if (b == '{' || b == '[') {
                depth++;
            } else if (b == '}' || b == ']') {
                if (--depth == 0) return i + 1;
            }
        }
        return -1;
    }

    public static String writeString(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    private static String firstLine(String message) {
        if (message == null) return "malformed";
        List<String> lines = message.lines().toList();
        return lines.isEmpty() ? "malformed" : lines.getFirst();
    }
}
