package io.kube4j.machinery.object;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KubeObjectTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Ready True                  | {\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}                                   | true",
            "Ready False                 | {\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"}]}}                                  | false",
            "Ready Unknown               | {\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"Unknown\"}]}}                                | false",
            "another condition True only | {\"status\":{\"conditions\":[{\"type\":\"Initialized\",\"status\":\"True\"}]}}                             | false",
            "no conditions               | {\"status\":{}}                                                                                             | false",
            "no status                   | {}                                                                                                          | false",
    })
    void conditionTrueReadsTheConditionOfItsType(String name, String json, boolean ready) {
        ObjectNode object = (ObjectNode) Json.MAPPER.readTree(json);
        assertThat(KubeObject.conditionTrue(object, "Ready")).as(name).isEqualTo(ready);
    }

    @org.junit.jupiter.api.Test
    void addFinalizerAddsOnce() {
        ObjectNode object = Json.object();
        assertThat(KubeObject.addFinalizer(object, "a/b")).isTrue();
        assertThat(KubeObject.addFinalizer(object, "a/b")).isFalse();
        assertThat(KubeObject.finalizers(object)).isEqualTo(List.of("a/b"));
    }
}
