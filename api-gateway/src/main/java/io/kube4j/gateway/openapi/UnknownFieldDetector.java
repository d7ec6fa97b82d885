package io.kube4j.gateway.openapi;

import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the fields of an object that its kind's schema does not declare: the check behind
 * {@code fieldValidation=Strict} (a 400 {@code strict decoding error: unknown field "spec.replcas"})
 * and {@code Warn} (a warning per field).
 *
 * <p>Uses the same schemas the OpenAPI documents publish. A field is unknown when its object's
 * schema neither declares it in {@code properties} nor admits it through
 * {@code additionalProperties} or {@code x-kubernetes-preserve-unknown-fields: true} (the
 * structural-schema rule of custom resources, which built-in free-form types follow too).
 * Values whose schema is not an object or array (strings, int-or-string, quantities) are
 * not looked into. {@code apiVersion}, {@code kind} and {@code metadata} of a kind are always known.
 * Duplicate fields are not detected here. Pure and thread-safe.
 */
@Component
public class UnknownFieldDetector {

    private static final java.util.Set<String> EMBEDDED_FIELDS = java.util.Set.of("apiVersion", "kind", "metadata");

    private final OpenApiService openApi;

    public UnknownFieldDetector(OpenApiService openApi) {
        this.openApi = openApi;
    }

    /**
     * The paths of the unknown fields of {@code object}, in document order, e.g.
     * {@code .spec.replcas} or {@code .spec.template.spec.containers[0].imagePullPolcy}. Empty
     * when every field is known or the kind is not served.
     */
    public List<String> unknownFields(GroupVersionKind gvk, JsonNode object) {
        return openApi.kindSchema(gvk).map(schema -> unknownFields(schema, object)).orElse(List.of());
    }

    /**
     * kube-apiserver's message for a Strict request with unknown fields, e.g.
     * {@code strict decoding error: unknown field "spec.replcas", unknown field "spec.foo"}; the
     * text of the 400 BadRequest Status.
     */
    public static String strictDecodingError(List<String> unknownPaths) {
        return "strict decoding error: " + String.join(", ", unknownPaths.stream().map(UnknownFieldDetector::describe).toList());
    }

    /** One unknown field as kube-apiserver words it, also the text of a Warn-mode warning: {@code unknown field "spec.replcas"}. */
    public static String describe(String unknownPath) {
        return "unknown field \"" + (unknownPath.startsWith(".") ? unknownPath.substring(1) : unknownPath) + "\"";
    }

    /** The unknown fields of {@code object} against one kind's schema. */
    public static List<String> unknownFields(OpenApiService.KindSchema schema, JsonNode object) {
        List<String> unknown = new ArrayList<>();
        walk(schema, schema.resolve(schema.schema()), object, "", unknown);
        return unknown;
    }

    private static void walk(OpenApiService.KindSchema kind, JsonNode schema, JsonNode value, String path,
                             List<String> unknown) {
        if (schema == null || value == null || value.isNull()) {
            return;
        }
        if (value.isArray()) {
            JsonNode items = schema.get("items");
            if (items == null) {
                return;
            }
            JsonNode itemSchema = kind.resolve(items);
            for (int i = 0; i < value.size(); i++) {
                walk(kind, itemSchema, value.get(i), path + "[" + i + "]", unknown);
            }
            return;
        }
        if (!value.isObject() || !isObjectSchema(schema)) {
            return;
        }
        boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        // An embedded resource (x-kubernetes-embedded-resource) has apiVersion, kind and metadata
        // whether or not its schema lists them.
        boolean embedded = schema.path("x-kubernetes-embedded-resource").asBoolean(false);
        JsonNode properties = schema.get("properties");
        JsonNode additional = schema.get("additionalProperties");
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            String fieldPath = path + "." + field.getKey();
            JsonNode declared = properties == null ? null : properties.get(field.getKey());
            if (declared != null) {
                walk(kind, kind.resolve(declared), field.getValue(), fieldPath, unknown);
            } else if (additional != null && additional.isObject()) {
                walk(kind, kind.resolve(additional), field.getValue(), fieldPath, unknown);
            } else if (embedded && EMBEDDED_FIELDS.contains(field.getKey())) {
                continue;
            } else if (!(additional != null && additional.asBoolean(false)) && !preserve) {
                unknown.add(fieldPath);
            }
        }
    }

    private static boolean isObjectSchema(JsonNode schema) {
        if (schema.has("x-kubernetes-int-or-string") || schema.has("oneOf") || schema.has("anyOf")) {
            return false;
        }
        String type = schema.path("type").asString("");
        return type.equals("object") || type.isEmpty() && (schema.has("properties") || schema.has("additionalProperties")
                || schema.has("x-kubernetes-preserve-unknown-fields"));
    }
}
