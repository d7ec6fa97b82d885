package io.kube4j.gateway.openapi;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.machinery.registry.ResourceType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ModelSchemasTest {

    private static KubernetesModelIndex index;
    private static ModelSchemas schemas;

    @BeforeAll
    static void load() {
        index = KubernetesModelIndex.load();
        schemas = new ModelSchemas(index);
    }

    /** Every stored built-in kind; the review kinds are questions answered on the spot, with no schema served. */
    static final List<ResourceType> BUILT_IN = BuiltInTypes.ALL.stream().filter(t -> !BuiltInTypes.REVIEWS.contains(t)).toList();

    @ParameterizedTest(name = "{0}")
    @FieldSource("BUILT_IN")
    void everyBuiltInKindHasAModelClassNamedAsKubernetesNamesIt(ResourceType type) {
        GroupVersionKind gvk = new GroupVersionKind(type.group(), type.version(), type.kind());
        Class<?> model = index.kindClass(gvk).orElseThrow(() -> new AssertionError("no model class for " + gvk));
        String expectedPackage = switch (type.group()) {
            case "" -> "io.k8s.api.core";
            case "apiextensions.k8s.io" -> "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions";
            default -> "io.k8s.api." + type.group().split("\\.")[0];
        };
        assertThat(index.definitionName(model)).isEqualTo(expectedPackage + "." + type.version() + "." + type.kind());
        assertThat(index.kindClass(new GroupVersionKind(type.group(), type.version(), type.listKind()))).isPresent();

        ObjectNode schema = schemas.definition(schemas.define(model));
        JsonNode gvkExtension = schema.get("x-kubernetes-group-version-kind").get(0);
        assertThat(gvkExtension.get("group").asString()).isEqualTo(type.group());
        assertThat(gvkExtension.get("version").asString()).isEqualTo(type.version());
        assertThat(gvkExtension.get("kind").asString()).isEqualTo(type.kind());
        assertThat(schema.get("properties").propertyNames()).contains("apiVersion", "kind", "metadata");
        assertThat(schema.get("description").asString()).startsWith(type.kind() + " ");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "io.fabric8.kubernetes.api.model.ObjectMeta, io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
            "io.fabric8.kubernetes.api.model.LabelSelector, io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector",
            "io.fabric8.kubernetes.api.model.Status, io.k8s.apimachinery.pkg.apis.meta.v1.Status",
            "io.fabric8.kubernetes.api.model.DeleteOptions, io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions",
            "io.fabric8.kubernetes.api.model.Quantity, io.k8s.apimachinery.pkg.api.resource.Quantity",
            "io.fabric8.kubernetes.api.model.IntOrString, io.k8s.apimachinery.pkg.util.intstr.IntOrString",
            "io.fabric8.kubernetes.api.model.runtime.RawExtension, io.k8s.apimachinery.pkg.runtime.RawExtension",
            "io.fabric8.kubernetes.api.model.PodSpec, io.k8s.api.core.v1.PodSpec",
            "io.fabric8.kubernetes.api.model.apps.DeploymentStrategy, io.k8s.api.apps.v1.DeploymentStrategy",
            "io.fabric8.kubernetes.api.model.autoscaling.v1.Scale, io.k8s.api.autoscaling.v1.Scale",
            "io.fabric8.kubernetes.api.model.policy.v1.Eviction, io.k8s.api.policy.v1.Eviction",
            "io.fabric8.kubernetes.api.model.networking.v1.IngressRule, io.k8s.api.networking.v1.IngressRule",
            "io.fabric8.kubernetes.api.model.rbac.PolicyRule, io.k8s.api.rbac.v1.PolicyRule",
    })
    void namesSupportingTypesAsKubernetesDoes(String className, String definition) throws Exception {
        assertThat(index.definitionName(Class.forName(className))).isEqualTo(definition);
    }

    @Test
    void propertiesFollowJacksonNamesAndOrder() {
        ObjectNode deployment = schemas.definition(schemas.define(Deployment.class));
        assertThat(deployment.get("properties").propertyNames())
                .containsExactly("apiVersion", "kind", "metadata", "spec", "status");
        ObjectNode spec = schemas.definition(schemas.define(DeploymentSpec.class));
        assertThat(spec.get("properties").get("replicas").get("type").asString()).isEqualTo("integer");
        assertThat(spec.get("properties").get("replicas").get("format").asString()).isEqualTo("int32");
        assertThat(spec.get("properties").get("selector").get("$ref").asString())
                .isEqualTo(ModelSchemas.ref(index.definitionName(LabelSelector.class)));
        assertThat(spec.get("properties").get("paused").get("type").asString()).isEqualTo("boolean");
        assertThat(spec.has("additionalProperties")).isFalse();
    }

    @Test
    void specialTypesAreDescribedAsKubernetesSerializesThem() {
        ObjectNode meta = schemas.definition(schemas.define(ObjectMeta.class));
        JsonNode created = meta.get("properties").get("creationTimestamp");
        assertThat(created.get("$ref").asString()).isEqualTo(ModelSchemas.ref(ModelSchemas.TIME));
        ObjectNode time = schemas.definition(ModelSchemas.TIME);
        assertThat(time.get("type").asString()).isEqualTo("string");
        assertThat(time.get("format").asString()).isEqualTo("date-time");
        assertThat(meta.get("properties").get("labels").get("additionalProperties").get("type").asString())
                .isEqualTo("string");

        ObjectNode intOrString = schemas.definition(schemas.define(IntOrString.class));
        assertThat(intOrString.get("x-kubernetes-int-or-string").asBoolean()).isTrue();
        assertThat(intOrString.get("format").asString()).isEqualTo("int-or-string");
        ObjectNode quantity = schemas.definition(schemas.define(Quantity.class));
        assertThat(quantity.get("x-kubernetes-int-or-string").asBoolean()).isTrue();
        assertThat(quantity.has("properties")).isFalse();

        ObjectNode podSpec = schemas.definition(schemas.define(PodSpec.class));
        assertThat(podSpec.get("properties").get("overhead").get("additionalProperties").get("$ref").asString())
                .isEqualTo(ModelSchemas.ref(ModelSchemas.QUANTITY));
        JsonNode containers = podSpec.get("properties").get("containers");
        assertThat(containers.get("type").asString()).isEqualTo("array");
        assertThat(containers.get("items").get("$ref").asString()).isEqualTo(ModelSchemas.ref("io.k8s.api.core.v1.Container"));
        assertThat(containers.get("x-kubernetes-patch-merge-key").asString()).isEqualTo("name");
        assertThat(containers.get("x-kubernetes-patch-strategy").asString()).isEqualTo("merge");
        assertThat(podSpec.get("required").valueStream().map(JsonNode::asString)).containsExactly("containers");

        ObjectNode raw = schemas.definition(schemas.defineSpecial(ModelSchemas.RAW_EXTENSION));
        assertThat(raw.get("type").asString()).isEqualTo("object");
        assertThat(raw.get("x-kubernetes-preserve-unknown-fields").asBoolean()).isTrue();
    }

    @Test
    void kindsCarryDescriptionsOfTheirCommonFields() {
        ObjectNode pod = schemas.definition(schemas.define(Pod.class));
        assertThat(pod.get("properties").get("metadata").get("description").asString()).isNotBlank();
        assertThat(pod.get("properties").get("metadata").get("allOf").get(0).get("$ref").asString())
                .isEqualTo(ModelSchemas.ref(index.definitionName(ObjectMeta.class)));
    }
}
