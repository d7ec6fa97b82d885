package io.kube4j.machinery.object;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

class JsonResourceVersionTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\",\"uid\":\"u\"},\"spec\":{\"x\":1}}",
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{},\"spec\":{}}",
            "{\"metadata\":{\"name\":\"first\"}}",
            "{\"kind\":\"X\",\"data\":{\"metadata\":{\"name\":\"decoy\"}},\"metadata\":{\"name\":\"late\"}}",
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"q\",\"annotations\":{\"a}\":\"x\\\"}\\\\\"}},\"data\":{\"k\":\"}}]]\"}}",
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"ü\",\"labels\":{\"é\":\"日本\"},\"managedFields\":[{\"manager\":\"m\",\"fieldsV1\":{\"f:data\":{\".\":{},\"f:x\":{}}}}]},\"data\":{\"n\":null,\"t\":true,\"f\":-1.5e3,\"arr\":[1,[2,{\"a\":[]}]]}}",
            "{\"x\":[{\"y\":\"}\"}],\"s\":\"metadata\",\"metadata\":{\"finalizers\":[\"a\",\"b\"]}}",
    })
    void addsTheResourceVersionExactlyAsTheTreeWouldSerialize(String json) {
        ObjectNode object = (ObjectNode) Json.MAPPER.readTree(json);
        byte[] stored = Json.write(object);
        KubeObject.setResourceVersion(object, 12345);
        assertThat(new String(Json.withResourceVersion(stored, 12345), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(new String(Json.write(object), java.nio.charset.StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"kind\":\"X\"}", "{\"metadata\":null}", "{\"metadata\":[]}", "{\"metadata\":\"m\"}",
            "{\"spec\":{\"metadata\":{}}}", "[]"})
    void hasNoAnswerWithoutATopLevelMetadataObject(String json) {
        assertThat(Json.withResourceVersion(Json.write(Json.MAPPER.readTree(json)), 1)).isNull();
    }
}
