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
