package io.kube4j.gateway.openapi;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.ListMeta;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Status;
import io.kube4j.gateway.discovery.ServerVersion;
import io.kube4j.gateway.discovery.SnapshotCache;
import io.kube4j.machinery.registry.ResourceRegistry;
import io.kube4j.machinery.registry.ResourceType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The OpenAPI documents of the served API: the v3 index, one v3 document per group version
 * ({@code api/v1}, {@code apis/apps/v1}), and one Swagger 2.0 document of everything.
 *
 * <p>Computed from the registry's current types and the custom resources' schemas; recomputed
 * when either changes, cached otherwise. Thread-safe. The schemas of custom resources come from
 * {@link CustomResourceSchemas} (optional bean); a type with neither a model class nor a custom
 * schema is served as an object that keeps every field.
 */
@Service
public class OpenApiService {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String META = KubernetesModelIndex.META;

    /** One served document: the tree, its serialized form and the hash clients cache it under. */
    public record Document(ObjectNode tree, byte[] json, String hash) {

        static Document of(ObjectNode tree) {
            byte[] json = MAPPER.writeValueAsBytes(tree);
            return new Document(tree, json, sha512(json));
        }
    }

    /** The schema of one kind and the definitions its references point to. */
    public record KindSchema(JsonNode schema, Map<String, JsonNode> definitions) {

        /** Follows {@code $ref} (and a single-element {@code allOf}) to the schema it names. */
        public JsonNode resolve(JsonNode node) {
            JsonNode current = node;
            for (int hops = 0; hops < 32 && current != null; hops++) {
                if (current.has("$ref") && current.get("$ref").isString()) {
                    String ref = current.get("$ref").asString();
                    current = definitions.get(ref.substring(ref.lastIndexOf('/') + 1));
                } else if (current.has("allOf") && current.get("allOf").size() == 1 && !current.has("properties")) {
                    current = current.get("allOf").get(0);
                } else {
                    return current;
                }
            }
            return current;
        }
    }

    private record Key(List<ResourceType> types, Map<GroupVersionKind, JsonNode> customSchemas) {}

    /** Everything computed from one snapshot. */
    private static final class Specs {
        final Map<String, Document> groupVersions;
        final Document index;
        final Map<GroupVersionKind, KindSchema> kinds;
        final Supplier<Document> v2;

        Specs(Map<String, Document> groupVersions, Document index, Map<GroupVersionKind, KindSchema> kinds,
              Supplier<Document> v2) {
            this.groupVersions = groupVersions;
            this.index = index;
            this.kinds = kinds;
            this.v2 = v2;
        }
    }

    private final ResourceRegistry registry;
    private final CustomResourceSchemas customSchemas;
    private final String serverVersion;
    private final ModelSchemas schemas;
    private final SnapshotCache<Key, Specs> cache = new SnapshotCache<>();

    @Autowired
    public OpenApiService(ResourceRegistry registry, ObjectProvider<CustomResourceSchemas> customSchemas,
                          ObjectProvider<ServerVersion> version) {
        this(registry, customSchemas.getIfAvailable(() -> CustomResourceSchemas.NONE),
                version.getIfAvailable(ServerVersion::defaults).gitVersion(), new ModelSchemas(KubernetesModelIndex.load()));
    }

    public OpenApiService(ResourceRegistry registry, CustomResourceSchemas customSchemas, String serverVersion,
                          ModelSchemas schemas) {
        this.registry = registry;
        this.customSchemas = customSchemas;
        this.serverVersion = serverVersion;
        this.schemas = schemas;
    }

    /** {@code GET /openapi/v3}: where each group version's document is, with its hash. */
    public Document v3Index() {
        return specs().index;
    }

    /** {@code GET /openapi/v3/{path}} for a path such as {@code api/v1} or {@code apis/apps/v1}. */
    public Optional<Document> v3Document(String path) {
        return Optional.ofNullable(specs().groupVersions.get(path));
    }

    /** {@code GET /openapi/v2}: a Swagger 2.0 document of every group version. */
    public Document v2Document() {
        return specs().v2.get();
    }

    /** The schema of a served kind, as its group version's v3 document gives it. */
    public Optional<KindSchema> kindSchema(GroupVersionKind gvk) {
        return Optional.ofNullable(specs().kinds.get(gvk));
    }

    /** The specs of the registry and schema generations they were built for; rebuilt when either moves. */
    private record Built(long types, long schemas, Specs specs) {}

    private volatile Built latest;

    private Specs specs() {
        long schemas = customSchemas.generation();
        if (schemas < 0) return collect();
        long types = registry.generation();
        Built built = latest;
        if (built != null && built.types() == types && built.schemas() == schemas) return built.specs();
        Specs specs = collect();
        latest = new Built(types, schemas, specs);
        return specs;
    }

    private Specs collect() {
        List<ResourceType> types = registry.all();
        Map<GroupVersionKind, JsonNode> custom = new HashMap<>();
        for (ResourceType type : types) {
            customSchemas.openApiV3Schema(type.group(), type.version(), type.kind())
                    .ifPresent(schema -> custom.put(new GroupVersionKind(type.group(), type.version(), type.kind()), schema));
        }
        Key key = new Key(types, custom);
        return cache.get(key, () -> build(key));
    }

    private Specs build(Key key) {
        Map<String, List<ResourceType>> byGroupVersion = new TreeMap<>();
        for (ResourceType type : key.types()) {
            byGroupVersion.computeIfAbsent(gvPath(type.group(), type.version()), p -> new ArrayList<>()).add(type);
        }
        Map<String, Document> documents = new LinkedHashMap<>();
        Map<GroupVersionKind, KindSchema> kinds = new HashMap<>();
        for (Map.Entry<String, List<ResourceType>> gv : byGroupVersion.entrySet()) {
            ObjectNode doc = groupVersionDocument(gv.getKey(), gv.getValue(), key.customSchemas());
            documents.put(gv.getKey(), Document.of(doc));
            Map<String, JsonNode> definitions = new HashMap<>();
            doc.get("components").get("schemas").properties().forEach(e -> definitions.put(e.getKey(), e.getValue()));
            Map<String, JsonNode> shared = Collections.unmodifiableMap(definitions);
            for (ResourceType type : gv.getValue()) {
                GroupVersionKind gvk = new GroupVersionKind(type.group(), type.version(), type.kind());
                findKind(definitions, gvk).ifPresent(schema -> kinds.put(gvk, new KindSchema(schema, shared)));
            }
        }
        ObjectNode index = JSON.objectNode();
        ObjectNode paths = index.putObject("paths");
        documents.forEach((path, doc) -> paths.putObject(path)
                .put("serverRelativeURL", "/openapi/v3/" + path + "?hash=" + doc.hash()));
        List<ObjectNode> trees = documents.values().stream().map(Document::tree).toList();
        Supplier<Document> v2 = memoize(() -> Document.of(SwaggerV2.convert(trees, info())));
        return new Specs(Map.copyOf(documents), Document.of(index), Map.copyOf(kinds), v2);
    }

    private static Optional<JsonNode> findKind(Map<String, JsonNode> definitions, GroupVersionKind gvk) {
        return definitions.values().stream().filter(schema -> {
            for (JsonNode k : schema.path("x-kubernetes-group-version-kind")) {
                if (k.path("group").asString("").equals(gvk.group()) && k.path("version").asString("").equals(gvk.version())
                        && k.path("kind").asString("").equals(gvk.kind())) {
                    return true;
                }
            }
            return false;
        }).findFirst();
    }

    static String gvPath(String group, String version) {
        return group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
    }

    private ObjectNode info() {
        ObjectNode info = JSON.objectNode();
        info.put("title", "Kubernetes");
        info.put("version", serverVersion);
        return info;
    }

    private ObjectNode groupVersionDocument(String path, List<ResourceType> types, Map<GroupVersionKind, JsonNode> custom) {
        ObjectNode doc = JSON.objectNode();
        doc.put("openapi", "3.0.0");
        doc.set("info", info());
        ObjectNode paths = doc.putObject("paths");
        Map<String, ObjectNode> customDefinitions = new LinkedHashMap<>();

        ObjectNode discovery = paths.putObject("/" + path + "/");
        ResourceType first = types.getFirst();
        discovery.putObject("get").putArray("tags").add(ResourcePaths.tag(first.group(), first.version()));
        ObjectNode get = (ObjectNode) discovery.get("get");
        get.put("description", "get available resources");
        get.put("operationId", "get" + ResourcePaths.operationPrefix(first.group(), first.version()) + "APIResources");
        ObjectNode ok = get.putObject("responses").putObject("200").put("description", "OK").putObject("content");
        for (String mediaType : List.of("application/json", "application/yaml", "application/vnd.kubernetes.protobuf")) {
            ok.putObject(mediaType).putObject("schema").put("$ref", ModelSchemas.ref(schemas.define(APIResourceList.class)));
        }
        ((ObjectNode) get.get("responses")).putObject("401").put("description", "Unauthorized");

        schemas.define(DeleteOptions.class);
        schemas.define(Status.class);
        schemas.defineSpecial(META + "Patch");
        for (ResourceType type : types) {
            GroupVersionKind gvk = new GroupVersionKind(type.group(), type.version(), type.kind());
            JsonNode customSchema = custom.get(gvk);
            boolean modeled = customSchema == null && schemas.index().kindClass(gvk).isPresent();
            if (!modeled) {
                String name = customName(type);
                customDefinitions.put(name, customKindSchema(gvk, customSchema));
                customDefinitions.put(name + "List", customListSchema(type, name));
            }
            ResourcePaths.add(paths, type, requested -> {
                if (!modeled && requested.group().equals(type.group()) && requested.version().equals(type.version())) {
                    if (requested.kind().equals(type.kind())) {
                        return customName(type);
                    }
                    if (requested.kind().equals(type.listKind())) {
                        return customName(type) + "List";
                    }
                }
                return schemas.index().kindClass(requested).map(schemas::define).orElse(null);
            });
        }
        ObjectNode components = doc.putObject("components");
        components.set("schemas", closure(paths, customDefinitions));
        components.putObject("securitySchemes").putObject("BearerToken")
                .put("type", "apiKey").put("description", "Bearer Token authentication")
                .put("name", "authorization").put("in", "header");
        doc.putArray("security").addObject().putArray("BearerToken");
        return doc;
    }

    /** Every definition the paths refer to, directly or through other definitions, sorted by name. */
    private ObjectNode closure(ObjectNode paths, Map<String, ObjectNode> customDefinitions) {
        Map<String, JsonNode> found = new TreeMap<>();
        Deque<String> pending = new ArrayDeque<>();
        collectRefs(paths, pending);
        customDefinitions.values().forEach(d -> collectRefs(d, pending));
        found.putAll(customDefinitions);
        while (!pending.isEmpty()) {
            String name = pending.pop();
            if (found.containsKey(name)) {
                continue;
            }
            JsonNode definition = customDefinitions.containsKey(name) ? customDefinitions.get(name) : schemas.definition(name);
            if (definition == null) {
                definition = ModelSchemas.special(name);
            }
            found.put(name, definition);
            collectRefs(definition, pending);
        }
        ObjectNode out = JSON.objectNode();
        found.forEach(out::set);
        return out;
    }

    private static void collectRefs(JsonNode node, Deque<String> into) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isString() && ref.asString().startsWith(ModelSchemas.REF_PREFIX)) {
                into.push(ref.asString().substring(ModelSchemas.REF_PREFIX.length()));
            }
            node.values().forEach(child -> collectRefs(child, into));
        } else if (node.isArray()) {
            node.values().forEach(child -> collectRefs(child, into));
        }
    }

    /** Kubernetes names a custom kind after its group reversed: {@code com.example.stable.v1.CronTab}. */
    static String customName(ResourceType type) {
        List<String> parts = new ArrayList<>(List.of(type.group().split("\\.")));
        Collections.reverse(parts);
        return String.join(".", parts) + "." + type.version() + "." + type.kind();
    }

    private ObjectNode customKindSchema(GroupVersionKind gvk, JsonNode declared) {
        ObjectNode schema = declared != null && declared.isObject()
                ? ((ObjectNode) declared).deepCopy()
                : JSON.objectNode().put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
        schema.put("type", "object");
        ObjectNode properties = schema.has("properties") && schema.get("properties").isObject()
                ? (ObjectNode) schema.get("properties") : schema.putObject("properties");
        ObjectNode ordered = JSON.objectNode();
        ordered.putObject("apiVersion").put("type", "string")
                .put("description", "APIVersion is the versioned schema of this representation of an object.");
        ordered.putObject("kind").put("type", "string")
                .put("description", "Kind is the REST type of this object, in CamelCase.");
        ObjectNode metadata = ordered.putObject("metadata");
        metadata.put("description", "Standard object metadata.");
        metadata.putArray("allOf").addObject().put("$ref", ModelSchemas.ref(schemas.define(ObjectMeta.class)));
        properties.properties().forEach(e -> {
            if (!ordered.has(e.getKey())) {
                ordered.set(e.getKey(), e.getValue());
            }
        });
        schema.set("properties", ordered);
        schema.putArray("x-kubernetes-group-version-kind").addObject()
                .put("group", gvk.group()).put("kind", gvk.kind()).put("version", gvk.version());
        return schema;
    }

    private ObjectNode customListSchema(ResourceType type, String itemName) {
        ObjectNode schema = JSON.objectNode();
        schema.put("description", type.listKind() + " is a list of " + type.kind());
        schema.put("type", "object");
        schema.putArray("required").add("items");
        ObjectNode properties = schema.putObject("properties");
        properties.putObject("apiVersion").put("type", "string");
        properties.putObject("items").put("type", "array").putObject("items").put("$ref", ModelSchemas.ref(itemName));
        properties.putObject("kind").put("type", "string");
        properties.putObject("metadata").putArray("allOf").addObject()
                .put("$ref", ModelSchemas.ref(schemas.define(ListMeta.class)));
        schema.putArray("x-kubernetes-group-version-kind").addObject()
                .put("group", type.group()).put("kind", type.listKind()).put("version", type.version());
        return schema;
    }

    private static <T> Supplier<T> memoize(Supplier<T> supplier) {
        return new Supplier<>() {
            private volatile T value;

            @Override
            public T get() {
                T v = value;
                if (v == null) {
                    synchronized (this) {
                        v = value;
                        if (v == null) {
                            v = supplier.get();
                            value = v;
                        }
                    }
                }
                return v;
            }
        };
    }

    static String sha512(byte[] bytes) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-512").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is part of every JDK", e);
        }
    }
}
