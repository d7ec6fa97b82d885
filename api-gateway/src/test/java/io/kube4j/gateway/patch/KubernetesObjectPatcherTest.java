package io.kube4j.gateway.patch;

import io.kube4j.gateway.http.MediaTypes;
import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.object.Json;
import io.kube4j.machinery.registry.BuiltInTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KubernetesObjectPatcherTest {

    private final KubernetesObjectPatcher patcher = new KubernetesObjectPatcher(
            Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC));

    private static ObjectNode deployment() {
        return Json.parseObject("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"shop"},
                 "spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.25"}]}}}}
                """.getBytes(StandardCharsets.UTF_8));
    }

    /** Each patch type, chosen by Content-Type, with what it makes of the container list. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            application/strategic-merge-patch+json | {"spec":{"template":{"spec":{"containers":[{"name":"side","image":"busybox"}]}}}} | side,nginx
            application/merge-patch+json           | {"spec":{"template":{"spec":{"containers":[{"name":"side","image":"busybox"}]}}}} | side
            application/json-patch+json            | [{"op":"add","path":"/spec/template/spec/containers/-","value":{"name":"side"}}] | nginx,side
            application/apply-patch+yaml           | {apiVersion: apps/v1, kind: Deployment, spec: {template: {spec: {containers: [{name: side, image: busybox}]}}}} | nginx,side
            """)
    void eachPatchType(String contentType, String patch, String containers) {
        ObjectNode patched = patcher.patch(BuiltInTypes.DEPLOYMENT, deployment(), patch.getBytes(StandardCharsets.UTF_8),
                contentType, "tester", false);
        assertThat(String.join(",", patched.path("spec").path("template").path("spec").path("containers")
                .valueStream().map(c -> c.path("name").asString()).toList())).isEqualTo(containers);
    }

    @Test
    void serverSideApplyRecordsTheManager() {
        ObjectNode applied = patcher.patch(BuiltInTypes.DEPLOYMENT, null,
                "{apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, spec: {replicas: 2}}".getBytes(StandardCharsets.UTF_8),
                MediaTypes.APPLY_PATCH_YAML, "kubectl", false);
        assertThat(applied.path("metadata").path("managedFields").toString()).isEqualTo(
                "[{\"manager\":\"kubectl\",\"operation\":\"Apply\",\"apiVersion\":\"apps/v1\",\"time\":\"2026-11-25T12:00:00Z\","
                        + "\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:spec\":{\"f:replicas\":{}}}}]");
    }

    @Test
    void anUnknownPatchTypeIsUnsupportedMediaType() {
        assertThatThrownBy(() -> patcher.patch(BuiltInTypes.DEPLOYMENT, deployment(), "{}".getBytes(StandardCharsets.UTF_8),
                "text/plain", null, false))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(415));
    }
}
