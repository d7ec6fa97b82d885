package io.kube4j.gateway.openapi;

import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.machinery.registry.ResourceRegistry;
import io.kube4j.machinery.registry.ResourceType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

class OpenApiServiceTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final ModelSchemas SCHEMAS = new ModelSchemas(KubernetesModelIndex.load());
    private static final ResourceType CRONTAB = new ResourceType("stable.example.com", "v1", "CronTab", "crontabs",
            "crontab", true, List.of("ct"), List.of(), Set.of("status", "scale"));

    static final List<ResourceType> BUILT_IN = BuiltInTypes.ALL;

    private ResourceRegistry registry;
    private final Map<String, JsonNode> crdSchemas = new ConcurrentHashMap<>();
    private OpenApiService service;

    @BeforeEach
    void setUp() {
        registry = ResourceRegistry.builtIn();
        CustomResourceSchemas crds = (group, version, kind) -> Optional.ofNullable(crdSchemas.get(group + "/" + version + "/" + kind));
        service = new OpenApiService(registry, crds, "v1.32.0-kube4j", SCHEMAS);
    }

    private ObjectNode document(String path) {
        return service.v3Document(path).orElseThrow(() -> new AssertionError("no document " + path)).tree();
    }

    private static String gvPath(ResourceType type) {
        return type.group().isEmpty() ? "api/" + type.version() : "apis/" + type.group() + "/" + type.version();
    }

    private static String collectionPath(ResourceType type) {
        String root = type.group().isEmpty() ? "/api/" + type.version() : "/apis/" + type.group() + "/" + type.version();
        return root + (type.namespaced() ? "/namespaces/{namespace}/" : "/") + type.plural();
    }

    @Test
    void indexPointsAtOneDocumentPerGroupVersionWithItsHash() {
        JsonNode paths = MAPPER.readTree(service.v3Index().json()).get("paths");
        List<String> expected = BuiltInTypes.ALL.stream().map(OpenApiServiceTest::gvPath).distinct().toList();
        assertThat(paths.propertyNames()).containsExactlyInAnyOrderElementsOf(expected);
        for (String path : expected) {
            String url = paths.get(path).get("serverRelativeURL").asString();
            assertThat(url).isEqualTo("/openapi/v3/" + path + "?hash=" + service.v3Document(path).orElseThrow().hash());
            assertThat(url).matches(".*hash=[0-9A-F]{128}");
        }
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("BUILT_IN")
    void everyResourceHasItsOperationsAndEveryReferenceResolves(ResourceType type) {
        ObjectNode doc = document(gvPath(type));
        assertThat(doc.get("openapi").asString()).isEqualTo("3.0.0");
        JsonNode item = doc.get("paths").get(collectionPath(type) + "/{name}");
        assertThat(item).as("item path").isNotNull();
        assertThat(item.propertyNames()).contains("get", "put", "patch", "delete", "parameters");
        JsonNode collection = doc.get("paths").get(collectionPath(type));
        assertThat(collection.propertyNames()).contains("get", "post", "delete");

        // kubectl decides on server-side field validation from the PATCH operation of the kind.
        JsonNode patch = item.get("patch");
        assertThat(patch.get("x-kubernetes-group-version-kind").get("kind").asString()).isEqualTo(type.kind());
        assertThat(patch.get("x-kubernetes-action").asString()).isEqualTo("patch");
        assertThat(names(patch.get("parameters"))).contains("fieldValidation", "fieldManager", "dryRun", "force");
        assertThat(names(collection.get("post").get("parameters"))).contains("fieldValidation");
        assertThat(names(collection.get("get").get("parameters"))).contains("labelSelector", "fieldSelector", "watch",
                "resourceVersion", "limit", "continue", "allowWatchBookmarks", "timeoutSeconds");

        for (String sub : type.subresources()) {
            assertThat(doc.get("paths").has(collectionPath(type) + "/{name}/" + sub)).as(sub).isTrue();
        }
        JsonNode schemas = doc.get("components").get("schemas");
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        for (String ref : refs) {
            assertThat(ref).startsWith(ModelSchemas.REF_PREFIX);
            assertThat(schemas.has(ref.substring(ModelSchemas.REF_PREFIX.length()))).as(ref).isTrue();
        }
        assertThat(service.kindSchema(new GroupVersionKind(type.group(), type.version(), type.kind()))).isPresent();
    }

    @Test
    void subresourcePathsCarryTheKindTheyServe() {
        JsonNode paths = document("apis/apps/v1").get("paths");
        JsonNode scale = paths.get("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale");
        assertThat(scale.get("get").get("operationId").asString()).isEqualTo("readAppsV1NamespacedDeploymentScale");
        assertThat(scale.get("put").get("x-kubernetes-group-version-kind").get("group").asString()).isEqualTo("autoscaling");
        assertThat(scale.get("get").get("responses").get("200").get("content").get("application/json").get("schema")
                .get("$ref").asString()).isEqualTo(ModelSchemas.ref("io.k8s.api.autoscaling.v1.Scale"));
        JsonNode corePaths = document("api/v1").get("paths");
        JsonNode binding = corePaths.get("/api/v1/namespaces/{namespace}/pods/{name}/binding");
        assertThat(binding.get("post").get("operationId").asString()).isEqualTo("createCoreV1NamespacedPodBinding");
        JsonNode log = corePaths.get("/api/v1/namespaces/{namespace}/pods/{name}/log");
        assertThat(names(log.get("get").get("parameters"))).contains("container", "follow", "tailLines", "previous");
        assertThat(corePaths.get("/api/v1/pods").get("get").get("operationId").asString())
                .isEqualTo("listCoreV1PodForAllNamespaces");
        assertThat(corePaths.get("/api/v1/nodes/{name}").get("get").get("operationId").asString())
                .isEqualTo("readCoreV1Node");
    }

    @Test
    void customResourcesGetTheirCrdSchemaAndChangeTheHash() {
        String before = service.v3Index().hash();
        crdSchemas.put("stable.example.com/v1/CronTab", MAPPER.readTree("""
                {"type":"object","description":"A crontab.","properties":{"spec":{"type":"object",
                 "properties":{"cronSpec":{"type":"string","description":"When to run."},"replicas":{"type":"integer"}}}}}"""));
        registry.register(CRONTAB);
        assertThat(service.v3Index().hash()).isNotEqualTo(before);

        ObjectNode doc = document("apis/stable.example.com/v1");
        JsonNode schema = doc.get("components").get("schemas").get("com.example.stable.v1.CronTab");
        assertThat(schema.get("description").asString()).isEqualTo("A crontab.");
        assertThat(schema.get("properties").propertyNames()).containsExactly("apiVersion", "kind", "metadata", "spec");
        assertThat(schema.get("properties").get("spec").get("properties").get("cronSpec").get("description").asString())
                .isEqualTo("When to run.");
        assertThat(schema.get("x-kubernetes-group-version-kind").get(0).get("kind").asString()).isEqualTo("CronTab");
        assertThat(doc.get("components").get("schemas").has("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")).isTrue();
        assertThat(doc.get("components").get("schemas").get("com.example.stable.v1.CronTabList")
                .get("properties").get("items").get("items").get("$ref").asString())
                .isEqualTo(ModelSchemas.ref("com.example.stable.v1.CronTab"));
        JsonNode patch = doc.get("paths").get("/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}").get("patch");
        assertThat(names(patch.get("parameters"))).contains("fieldValidation");
        assertThat(patch.get("operationId").asString()).isEqualTo("patchStableExampleComV1NamespacedCronTab");
        assertThat(doc.get("paths").get("/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}/scale")
                .get("get").get("x-kubernetes-group-version-kind").get("kind").asString()).isEqualTo("Scale");
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        refs.forEach(ref -> assertThat(doc.get("components").get("schemas")
                .has(ref.substring(ModelSchemas.REF_PREFIX.length()))).as(ref).isTrue());
        assertThat(doc.get("components").get("schemas").has("io.k8s.api.autoscaling.v1.Scale")).isTrue();

        // A schema change alone (same registry) is seen too.
        String withSchema = service.v3Index().hash();
        crdSchemas.put("stable.example.com/v1/CronTab", MAPPER.readTree("{\"type\":\"object\"}"));
        assertThat(service.v3Index().hash()).isNotEqualTo(withSchema);
    }

    @Test
    void customResourcesWithoutSchemaKeepEveryField() {
        registry.register(CRONTAB);
        JsonNode schema = document("apis/stable.example.com/v1").get("components").get("schemas")
                .get("com.example.stable.v1.CronTab");
        assertThat(schema.get("x-kubernetes-preserve-unknown-fields").asBoolean()).isTrue();
        assertThat(schema.get("properties").has("metadata")).isTrue();
    }

    @Test
    void swagger2DocumentDescribesEverythingInV2Terms() {
        JsonNode v2 = MAPPER.readTree(service.v2Document().json());
        assertThat(v2.get("swagger").asString()).isEqualTo("2.0");
        assertThat(v2.get("definitions").has("io.k8s.api.core.v1.Pod")).isTrue();
        assertThat(v2.get("definitions").has("io.k8s.api.apps.v1.Deployment")).isTrue();
        assertThat(v2.get("definitions").get("io.k8s.apimachinery.pkg.util.intstr.IntOrString").get("type").asString())
                .isEqualTo("string");
        JsonNode post = v2.get("paths").get("/apis/apps/v1/namespaces/{namespace}/deployments").get("post");
        JsonNode body = post.get("parameters").valueStream().filter(p -> p.get("in").asString().equals("body"))
                .findFirst().orElseThrow();
        assertThat(body.get("schema").get("$ref").asString()).isEqualTo("#/definitions/io.k8s.api.apps.v1.Deployment");
        assertThat(post.get("parameters").valueStream().filter(p -> p.get("name").asString().equals("fieldValidation"))
                .findFirst().orElseThrow().get("type").asString()).isEqualTo("string");
        assertThat(post.get("produces").valueStream().map(JsonNode::asString)).contains("application/json");
        String text = new String(service.v2Document().json());
        assertThat(text).doesNotContain("#/components/schemas/").doesNotContain("\"oneOf\"").doesNotContain("requestBody");
        List<String> refs = new ArrayList<>();
        collectRefs(v2, refs);
        refs.forEach(ref -> assertThat(v2.get("definitions").has(ref.substring("#/definitions/".length()))).as(ref).isTrue());
    }

    private static List<String> names(JsonNode parameters) {
        return parameters.valueStream().map(p -> p.get("name").asString()).toList();
    }

    private static void collectRefs(JsonNode node, List<String> into) {
        if (node.isObject()) {
            if (node.has("$ref") && node.get("$ref").isString()) {
                into.add(node.get("$ref").asString());
            }
            node.values().forEach(child -> collectRefs(child, into));
        } else if (node.isArray()) {
            node.values().forEach(child -> collectRefs(child, into));
        }
    }
}
