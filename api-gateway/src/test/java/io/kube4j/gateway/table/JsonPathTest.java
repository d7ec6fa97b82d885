package io.kube4j.gateway.table;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonPathTest {

    private static final JsonNode DOC = Printed.json("""
            {"metadata":{"name":"db","labels":{"app.kubernetes.io/name":"pg","tier":"data"}},
             "spec":{"replicas":3,"ratio":0.25,"enabled":true,"nothing":null,
              "containers":[{"name":"pg","image":"postgres:16","ports":[{"containerPort":5432}]},
                            {"name":"exporter","image":"exporter:1","ports":[{"containerPort":9187}]}]},
             "status":{"conditions":[{"type":"Initialized","status":"True","weight":1},
                                     {"type":"Ready","status":"False","weight":5}]}}""");

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            ".metadata.name | \"db\"",
            "{.metadata.name} | \"db\"",
            "$.metadata.name | \"db\"",
            ".spec.replicas | 3",
            ".spec.nothing | null",
            ".spec.missing | ",
            ".metadata.labels.tier | \"data\"",
            ".metadata.labels.app\\.kubernetes\\.io/name | \"pg\"",
            ".metadata.labels['app.kubernetes.io/name'] | \"pg\"",
            ".metadata.labels[\"app.kubernetes.io/name\"] | \"pg\"",
            ".spec.containers[0].image | \"postgres:16\"",
            ".spec.containers[-1].name | \"exporter\"",
            ".spec.containers[5].name | ",
            ".spec.containers[*].name | \"pg\",\"exporter\"",
            ".spec.containers[0:1].name | \"pg\"",
            ".spec.containers[1:].name | \"exporter\"",
            ".spec.containers[*].ports[0].containerPort | 5432,9187",
            "..containerPort | 5432,9187",
            ".status.conditions[?(@.type==\"Ready\")].status | \"False\"",
            ".status.conditions[?(@.type=='Initialized')].status | \"True\"",
            ".status.conditions[?(@.type != \"Ready\")].type | \"Initialized\"",
            ".status.conditions[?(@.weight > 2)].type | \"Ready\"",
            ".status.conditions[?(@.weight <= 1)].type | \"Initialized\"",
            ".status.conditions[?(@.missing)].type | ",
            ".status.conditions[?(@.weight)].type | \"Initialized\",\"Ready\"",
            ".metadata.labels.* | \"pg\",\"data\"",
    })
    void selects(String path, String expected) {
        String found = JsonPath.compile(path).find(DOC).stream().map(JsonNode::toString).collect(Collectors.joining(","));
        assertThat(found).isEqualTo(expected == null ? "" : expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {".spec.containers[", ".spec.containers[x]", ".status.conditions[?(@.type==Ready)]",
            ".a[?(@.b==\"c\")", ".metadata.labels['open", ".a..", ".a[1:2:3]"})
    void rejectsPathsOutsideTheDialect(String path) {
        assertThatThrownBy(() -> JsonPath.compile(path)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(path);
    }

    @Test
    void isReusableAcrossDocuments() {
        JsonPath path = JsonPath.compile(".spec.replicas");
        assertThat(path.find(Printed.json("{\"spec\":{\"replicas\":1}}")).getFirst().asInt()).isEqualTo(1);
        assertThat(path.find(Printed.json("{\"spec\":{}}"))).isEmpty();
        assertThat(path.find(null)).isEmpty();
    }
}
