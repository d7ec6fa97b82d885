package io.kube4j.gateway.openapi;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes OpenAPI v3 group-version documents as one Swagger 2.0 document, the form older clients
 * read from {@code /openapi/v2}: body parameters instead of request bodies, {@code consumes} and
 * {@code produces} instead of per-media-type content, {@code #/definitions/} references, and no
 * {@code oneOf} (Quantity and IntOrString become strings, as kube-apiserver writes them in v2).
 * Pure; never mutates its input.
 */
final class SwaggerV2 {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private SwaggerV2() {}

    static ObjectNode convert(List<ObjectNode> documents, ObjectNode info) {
        ObjectNode out = JSON.objectNode();
        out.put("swagger", "2.0");
        out.set("info", info.deepCopy());
        Map<String, JsonNode> paths = new TreeMap<>();
        Map<String, JsonNode> definitions = new TreeMap<>();
        for (ObjectNode doc : documents) {
            doc.path("paths").properties().forEach(e -> paths.put(e.getKey(), path(e.getValue())));
            doc.path("components").path("schemas").properties()
                    .forEach(e -> definitions.put(e.getKey(), schema(e.getKey(), e.getValue())));
        }
        ObjectNode p = out.putObject("paths");
        paths.forEach(p::set);
        ObjectNode d = out.putObject("definitions");
        definitions.forEach(d::set);
        out.putObject("securityDefinitions").putObject("BearerToken")
                .put("type", "apiKey").put("description", "Bearer Token authentication")
                .put("name", "authorization").put("in", "header");
        out.putArray("security").addObject().putArray("BearerToken");
        return out;
    }

    private static JsonNode path(JsonNode v3) {
        ObjectNode path = JSON.objectNode();
        v3.properties().forEach(e -> {
            if (e.getKey().equals("parameters")) {
                path.set("parameters", parameters(e.getValue()));
            } else {
                path.set(e.getKey(), operation(e.getValue()));
            }
        });
        return path;
    }

    private static JsonNode operation(JsonNode v3) {
        ObjectNode op = JSON.objectNode();
        Set<String> consumes = new LinkedHashSet<>();
        Set<String> produces = new LinkedHashSet<>();
        ArrayNode params = JSON.arrayNode();
        JsonNode body = v3.get("requestBody");
        if (body != null) {
            consumes.addAll(body.path("content").propertyNames());
            ObjectNode bodyParam = params.addObject();
            bodyParam.put("name", "body");
            bodyParam.put("in", "body");
            bodyParam.put("required", body.path("required").asBoolean(false));
            JsonNode first = body.path("content").values().stream().findFirst().orElse(JSON.objectNode());
            bodyParam.set("schema", schema("", first.path("schema")));
        }
        if (v3.has("parameters")) {
            parameters(v3.get("parameters")).values().forEach(params::add);
        }
        ObjectNode responses = JSON.objectNode();
        v3.path("responses").properties().forEach(e -> {
            ObjectNode response = responses.putObject(e.getKey());
            response.put("description", e.getValue().path("description").asString(""));
            JsonNode content = e.getValue().get("content");
            if (content != null && !content.isEmpty()) {
                produces.addAll(content.propertyNames());
                response.set("schema", schema("", content.values().stream().findFirst().orElseThrow().path("schema")));
            }
        });
        v3.properties().forEach(e -> {
            switch (e.getKey()) {
                case "requestBody", "parameters", "responses" -> { }
                default -> op.set(e.getKey(), e.getValue().deepCopy());
            }
        });
        if (!consumes.isEmpty()) {
            ArrayNode c = op.putArray("consumes");
            consumes.forEach(c::add);
        }
        if (!produces.isEmpty()) {
            ArrayNode p = op.putArray("produces");
            produces.forEach(p::add);
        }
        op.putArray("schemes").add("https");
        if (!params.isEmpty()) {
            op.set("parameters", params);
        }
        op.set("responses", responses);
        return op;
    }

    private static ArrayNode parameters(JsonNode v3) {
        ArrayNode out = JSON.arrayNode();
        for (JsonNode param : v3) {
            ObjectNode p = out.addObject();
            param.properties().forEach(e -> {
                if (e.getKey().equals("schema")) {
                    e.getValue().properties().forEach(s -> p.set(s.getKey(), s.getValue().deepCopy()));
                } else {
                    p.set(e.getKey(), e.getValue().deepCopy());
                }
            });
        }
        return out;
    }

    /** A v3 schema in v2 terms. */
    static JsonNode schema(String name, JsonNode v3) {
        if (name.equals(ModelSchemas.INT_OR_STRING)) {
            return JSON.objectNode().put("description", v3.path("description").asString(""))
                    .put("type", "string").put("format", "int-or-string");
        }
        if (name.equals(ModelSchemas.QUANTITY)) {
            return JSON.objectNode().put("description", v3.path("description").asString("")).put("type", "string");
        }
        return rewrite(v3);
    }

    private static JsonNode rewrite(JsonNode node) {
        if (node.isArray()) {
            ArrayNode out = JSON.arrayNode();
            node.values().forEach(v -> out.add(rewrite(v)));
            return out;
        }
        if (!node.isObject()) {
            return node.deepCopy();
        }
        ObjectNode out = JSON.objectNode();
        JsonNode allOf = node.get("allOf");
        if (allOf != null && allOf.size() == 1 && allOf.get(0).has("$ref")) {
            node.properties().forEach(e -> {
                if (!e.getKey().equals("allOf") && !e.getKey().equals("default")) {
                    out.set(e.getKey(), rewrite(e.getValue()));
                }
            });
            out.put("$ref", v2Ref(allOf.get(0).get("$ref").asString()));
            return out;
        }
        node.properties().forEach(e -> {
            switch (e.getKey()) {
                case "$ref" -> out.set("$ref", e.getValue().isString()
                        ? JSON.stringNode(v2Ref(e.getValue().asString())) : rewrite(e.getValue()));
                case "oneOf", "anyOf", "not", "nullable" -> { }
                default -> out.set(e.getKey(), rewrite(e.getValue()));
            }
        });
        return out;
    }

    private static String v2Ref(String ref) {
        return ref.startsWith(ModelSchemas.REF_PREFIX)
                ? "#/definitions/" + ref.substring(ModelSchemas.REF_PREFIX.length())
                : ref;
    }
}
