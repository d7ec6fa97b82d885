package io.kube4j.machinery.object;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class JsonTreeTest {

    private static final ObjectNode POD = Json.parseObject("""
            {"metadata": {"name": "web", "labels": {"app": "web", "tier": 1}},
             "spec": {"containers": [{"name": "a"}, "junk", {"name": "b"}], "nodeName": null,
                      "replicas": 3, "big": 1e30, "hostNetwork": true},
             "status": {"podIP": "10.0.0.1"}}""".getBytes());

    @Test
    void readsFieldsOfTheAskedType() {
        ObjectNode spec = JsonTree.object(POD, "spec");
        assertThat(JsonTree.string(POD.get("metadata"), "name")).isEqualTo("web");
        assertThat(JsonTree.stringOrEmpty(spec, "nodeName")).isEmpty();
        assertThat(JsonTree.integer(spec, "replicas")).isEqualTo(3L);
        assertThat(JsonTree.bool(spec, "hostNetwork")).isTrue();
        assertThat(JsonTree.elements(spec, "containers")).hasSize(3);
        assertThat(JsonTree.arrayNode(spec, "containers")).isSameAs(spec.get("containers"));
        assertThat(JsonTree.stringMap(POD.get("metadata"), "labels")).isEqualTo(Map.of("app", "web"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodeName", "missing", "replicas", "containers"})
    void readsOtherShapesAsAbsent(String field) {
        ObjectNode spec = JsonTree.object(POD, "spec");
        assertThat(JsonTree.object(spec, field)).isNull();
        assertThat(JsonTree.string(spec, field)).isNull();
        assertThat(JsonTree.bool(spec, field)).isNull();
        assertThat(JsonTree.object(null, field)).isNull();
        assertThat(JsonTree.elements(null, field)).isEmpty();
    }

    @Test
    void presenceAndEmptinessFollowGoZeroValues() {
        ObjectNode spec = JsonTree.object(POD, "spec");
        assertThat(JsonTree.present(spec, "nodeName")).isFalse();
        assertThat(JsonTree.present(spec, "replicas")).isTrue();
        assertThat(JsonTree.integer(spec, "big")).isNull();
        assertThat(JsonTree.isEmpty(Json.parseObject("{}".getBytes()))).isTrue();
        assertThat(JsonTree.isEmpty(Json.NODES.stringNode(""))).isTrue();
        assertThat(JsonTree.isEmpty(null)).isTrue();
        assertThat(JsonTree.isEmpty(spec)).isFalse();
    }

    @Test
    void visitsObjectElementsWithTheirIndex() {
        List<String> seen = new java.util.ArrayList<>();
        JsonTree.eachObject(POD.get("spec"), "containers", (i, c) -> seen.add(i + ":" + c.get("name").asString()));
        assertThat(seen).containsExactly("0:a", "2:b");
    }

    @Test
    void walksDottedPaths() {
        assertThat(JsonTree.at(POD, "status.podIP").asString()).isEqualTo("10.0.0.1");
        JsonNode absent = JsonTree.at(POD, "status.podIP.more");
        assertThat(absent.isMissingNode()).isTrue();
        assertThat(JsonTree.at(null, "a").isMissingNode()).isTrue();
    }

    @Test
    void ensureObjectReplacesWhatIsNotAnObject() {
        ObjectNode o = Json.parseObject("{\"a\": null, \"b\": {\"x\": 1}}".getBytes());
        assertThat(JsonTree.ensureObject(o, "a")).isEmpty();
        assertThat(JsonTree.ensureObject(o, "b").get("x").asInt()).isEqualTo(1);
        assertThat(o.get("a").isObject()).isTrue();
    }
}
