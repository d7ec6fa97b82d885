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
        return openApi.kindSchema(gvk).map(schema -> unknownFields(compiled(gvk, schema), object)).orElse(List.of());
    }

    /** The compiled schema of each kind, valid while the service hands out the same {@link OpenApiService.KindSchema}. */
    private final java.util.concurrent.ConcurrentMap<GroupVersionKind, Compiled> compiled =
            new java.util.concurrent.ConcurrentHashMap<>();

    private record Compiled(OpenApiService.KindSchema source, SchemaNode root) {}

    private SchemaNode compiled(GroupVersionKind gvk, OpenApiService.KindSchema schema) {
        Compiled cached = compiled.get(gvk);
        if (cached != null && cached.source() == schema) return cached.root();
        SchemaNode root = SchemaNode.of(schema, schema.resolve(schema.schema()));
        compiled.put(gvk, new Compiled(schema, root));
        return root;
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
        return unknownFields(SchemaNode.of(schema, schema.resolve(schema.schema())), object);
    }

    private static List<String> unknownFields(SchemaNode root, JsonNode object) {
        List<String> unknown = new ArrayList<>();
        walk(root, object, null, unknown);
        return unknown;
    }

    /**
     * Where a value sits, e.g. {@code .spec.containers[0]}: a chain built while walking and turned into text only
     * for an unknown field, which most objects have none of.
     */
    private record Path(Path parent, String field, int index) {

        Path field(String name) {
            return new Path(this, name, -1);
        }

        Path index(int i) {
            return new Path(this, null, i);
        }

        static String text(Path path) {
            StringBuilder text = new StringBuilder();
            append(path, text);
            return text.toString();
        }

        private static void append(Path path, StringBuilder text) {
            if (path == null) return;
            append(path.parent, text);
            if (path.field != null) text.append('.').append(path.field);
            else text.append('[').append(path.index).append(']');
        }
    }

    private static Path child(Path parent, String field) {
        return parent == null ? new Path(null, field, -1) : parent.field(field);
    }

    private static void walk(SchemaNode node, JsonNode value, Path path, List<String> unknown) {
        if (node.schema == null || value == null || value.isNull()) {
            return;
        }
        if (value.isArray()) {
            SchemaNode items = node.items();
            if (items == null) {
                return;
            }
            for (int i = 0; i < value.size(); i++) {
                walk(items, value.get(i), path == null ? new Path(null, null, i) : path.index(i), unknown);
            }
            return;
        }
        if (!value.isObject() || !node.objectSchema) {
            return;
        }
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            SchemaNode declared = node.property(field.getKey());
            if (declared != null) {
                walk(declared, field.getValue(), child(path, field.getKey()), unknown);
            } else if (node.additional != null) {
                walk(node.additional(), field.getValue(), child(path, field.getKey()), unknown);
            } else if (node.embedded && EMBEDDED_FIELDS.contains(field.getKey())) {
                continue;
            } else if (!node.additionalAllowed && !node.preserve) {
                unknown.add(Path.text(child(path, field.getKey())));
            }
        }
    }

    /**
     * One schema with its {@code $ref}s followed and the facts the walk asks of it read once; the schemas of its
     * properties, additional properties and items are resolved when first needed and kept (recursive schemas
     * stay finite that way). Thread-safe: a race resolves the same child twice, to equal nodes.
     */
    private static final class SchemaNode {
        final OpenApiService.KindSchema kind;
        final JsonNode schema;
        final boolean objectSchema;
        final boolean preserve;
        final boolean embedded;
        /** {@code additionalProperties} when it is a schema; null otherwise. */
        final JsonNode additional;
        /** {@code additionalProperties: true}. */
        final boolean additionalAllowed;
        private final JsonNode properties;
        private final java.util.concurrent.ConcurrentMap<String, SchemaNode> declared =
                new java.util.concurrent.ConcurrentHashMap<>();
        private volatile SchemaNode additionalNode;
        private volatile SchemaNode itemsNode;

        private SchemaNode(OpenApiService.KindSchema kind, JsonNode schema) {
            this.kind = kind;
            this.schema = schema;
            this.objectSchema = schema != null && isObjectSchema(schema);
            this.preserve = schema != null && schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
            // An embedded resource (x-kubernetes-embedded-resource) has apiVersion, kind and metadata
            // whether or not its schema lists them.
            this.embedded = schema != null && schema.path("x-kubernetes-embedded-resource").asBoolean(false);
            JsonNode additionalProperties = schema == null ? null : schema.get("additionalProperties");
            this.additional = additionalProperties != null && additionalProperties.isObject() ? additionalProperties : null;
            this.additionalAllowed = additionalProperties != null && additionalProperties.asBoolean(false);
            this.properties = schema == null ? null : schema.get("properties");
        }

        static SchemaNode of(OpenApiService.KindSchema kind, JsonNode resolved) {
            return new SchemaNode(kind, resolved);
        }

        /** The node of a declared property, or null when {@code properties} does not name it. */
        SchemaNode property(String name) {
            if (properties == null) return null;
            SchemaNode node = declared.get(name);
            if (node == null) {
                // Only declared names are kept: a client's unknown fields must not grow the cache.
                JsonNode schema = properties.get(name);
                if (schema == null) return null;
                node = new SchemaNode(kind, kind.resolve(schema));
                declared.put(name, node);
            }
            return node;
        }

        SchemaNode additional() {
            SchemaNode node = additionalNode;
            if (node == null) additionalNode = node = new SchemaNode(kind, kind.resolve(additional));
            return node;
        }

        /** The node of {@code items}, or null when the schema has none. */
        SchemaNode items() {
            SchemaNode node = itemsNode;
            if (node == null) {
                JsonNode items = schema.get("items");
                if (items == null) return null;
                itemsNode = node = new SchemaNode(kind, kind.resolve(items));
            }
            return node;
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
