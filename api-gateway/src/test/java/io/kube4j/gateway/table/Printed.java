package io.kube4j.gateway.table;

import io.kube4j.machinery.registry.ResourceType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.stream.StreamSupport;

/** Test helpers: objects written as JSON, printed at a fixed time, cells read back as compact JSON. */
final class Printed {

    /** The reference time of every test: objects below say their times relative to it. */
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    static final TableConvertor CONVERTOR = new TableConvertor();

    private Printed() {}

    static ObjectNode json(String text) {
        return (ObjectNode) MAPPER.readTree(text);
    }

    /** The row cells of one object as compact JSON, e.g. {@code ["web","1/1","Running","0","5m"]}. */
    static String cells(ResourceType type, String objectJson) {
        ObjectNode table = CONVERTOR.toTable(type, json(objectJson), IncludeObject.NONE, NOW);
        return table.get("rows").get(0).get("cells").toString();
    }

    /** The column headers of a type, wide ones marked with a trailing {@code *}. */
    static List<String> headers(ResourceType type) {
        ObjectNode table = CONVERTOR.toTable(type, List.of(), null, IncludeObject.NONE, NOW);
        return StreamSupport.stream(table.get("columnDefinitions").spliterator(), false)
                .map(c -> c.get("name").asString() + (c.get("priority").asInt() > 0 ? "*" : ""))
                .toList();
    }

    static JsonNode row(ResourceType type, String objectJson) {
        return CONVERTOR.toTable(type, json(objectJson), IncludeObject.NONE, NOW).get("rows").get(0);
    }
}
