package io.kube4j.gateway.openapi;

import io.kube4j.machinery.registry.ResourceRegistry;
import io.kube4j.machinery.registry.ResourceType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class UnknownFieldDetectorTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static final String CRONTAB_SCHEMA = """
            {"type":"object","properties":{
              "spec":{"type":"object","properties":{
                "cronSpec":{"type":"string"},
                "replicas":{"type":"integer"},
                "port":{"x-kubernetes-int-or-string":true,"anyOf":[{"type":"integer"},{"type":"string"}]},
                "config":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
                "env":{"type":"array","items":{"type":"object","properties":{"name":{"type":"string"}}}},
                "tags":{"type":"object","additionalProperties":{"type":"string"}},
                "template":{"type":"object","x-kubernetes-embedded-resource":true,"properties":{"data":{"type":"string"}}}}},
              "status":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}""";

    private static UnknownFieldDetector detector;

    @BeforeAll
    static void setUp() {
        ResourceRegistry registry = ResourceRegistry.builtIn();
        registry.register(new ResourceType("stable.example.com", "v1", "CronTab", "crontabs", "crontab", true,
                List.of(), List.of(), Set.of()));
        registry.register(new ResourceType("free.example.com", "v1", "Blob", "blobs", "blob", true,
                List.of(), List.of(), Set.of()));
        JsonNode cronTab = MAPPER.readTree(CRONTAB_SCHEMA);
        CustomResourceSchemas crds = (group, version, kind) -> kind.equals("CronTab") ? Optional.of(cronTab) : Optional.empty();
        detector = new UnknownFieldDetector(new OpenApiService(registry, crds, "v1.32.0-kube4j",
                new ModelSchemas(KubernetesModelIndex.load())));
    }

    @org.junit.jupiter.api.Test
    void wordsErrorsAsKubeApiserverDoes() {
        assertThat(UnknownFieldDetector.strictDecodingError(List.of(".spec.replcas", ".spec.template.spec.containers[0].x")))
                .isEqualTo("strict decoding error: unknown field \"spec.replcas\", "
                        + "unknown field \"spec.template.spec.containers[0].x\"");
        assertThat(UnknownFieldDetector.describe(".extra")).isEqualTo("unknown field \"extra\"");
    }

    @ParameterizedTest(name = "{0} {1}: {2} → [{3}]")
    @CsvSource(delimiter = '|', value = {
            "apps/v1|Deployment|{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"a\",\"labels\":{\"x\":\"y\"}},\"spec\":{\"replicas\":2}}|",
            "apps/v1|Deployment|{\"spec\":{\"replcas\":2}}|.spec.replcas",
            "apps/v1|Deployment|{\"metadata\":{\"nmae\":\"a\"},\"spec\":{\"replcas\":2,\"paused\":true},\"extra\":1}|.metadata.nmae .spec.replcas .extra",
            "apps/v1|Deployment|{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"a\"},{\"name\":\"b\",\"imagePullPolcy\":\"Always\"}]}}}}|.spec.template.spec.containers[1].imagePullPolcy",
            "apps/v1|Deployment|{\"spec\":{\"strategy\":{\"rollingUpdate\":{\"maxSurge\":\"25%\",\"maxUnavailable\":1}}}}|",
            "v1|Pod|{\"spec\":{\"containers\":[{\"name\":\"a\",\"resources\":{\"limits\":{\"cpu\":\"100m\",\"memory\":1024}},\"ports\":[{\"containerPort\":80,\"protocl\":\"TCP\"}]}]}}|.spec.containers[0].ports[0].protocl",
            "v1|Pod|{\"spec\":{\"nodeSelector\":{\"any-key\":\"v\"},\"containers\":[]},\"status\":{\"startTime\":\"2024-01-01T00:00:00Z\"}}|",
            "v1|Pod|{\"metadata\":{\"creationTimestamp\":null,\"managedFields\":[{\"fieldsV1\":{\"f:spec\":{}}}]}}|",
            "apps/v1|ControllerRevision|{\"data\":{\"anything\":{\"goes\":1}},\"revision\":1}|",
            "v1|ConfigMap|{\"data\":{\"k\":\"v\"},\"binaryData\":{},\"immutable\":false,\"dta\":{}}|.dta",
            "stable.example.com/v1|CronTab|{\"metadata\":{\"name\":\"c\"},\"spec\":{\"cronSpec\":\"* * * * *\",\"port\":8080,\"config\":{\"free\":{\"form\":1}},\"env\":[{\"name\":\"a\",\"vaule\":1}],\"tags\":{\"a\":\"b\"},\"extra\":true},\"status\":{\"whatever\":1}}|.spec.env[0].vaule .spec.extra",
            "stable.example.com/v1|CronTab|{\"spce\":{},\"metadata\":{\"nmae\":\"c\"}}|.spce .metadata.nmae",
            "stable.example.com/v1|CronTab|{\"spec\":{\"template\":{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{},\"data\":\"x\",\"dat\":1}}}|.spec.template.dat",
            "free.example.com/v1|Blob|{\"spec\":{\"anything\":1},\"more\":[1,2]}|",
            "nope.example.com/v1|Thing|{\"spec\":{\"anything\":1}}|",
    })
    void reportsTheFieldsTheSchemaDoesNotDeclare(String apiVersion, String kind, String json, String expected) {
        List<String> unknown = detector.unknownFields(GroupVersionKind.of(apiVersion, kind), MAPPER.readTree(json));
        assertThat(unknown).containsExactly(expected == null ? new String[0] : expected.split(" "));
    }
}
