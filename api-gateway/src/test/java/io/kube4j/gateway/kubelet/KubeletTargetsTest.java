package io.kube4j.gateway.kubelet;

import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.object.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KubeletTargetsTest {

    private static final ObjectNode ONE_CONTAINER = pod("""
            {"metadata":{"name":"web","namespace":"shop"},"spec":{"containers":[{"name":"app"}]}}""");
    private static final ObjectNode TWO_CONTAINERS = pod("""
            {"metadata":{"name":"web","namespace":"shop"},"spec":{"initContainers":[{"name":"setup"}],
             "containers":[{"name":"a"},{"name":"b"}],"ephemeralContainers":[{"name":"debug"}]}}""");

    record LogCase(String name, ObjectNode pod, String query, String target) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<LogCase> logTargets() {
        return Stream.of(
                new LogCase("the only container by default", ONE_CONTAINER, "", "/containerLogs/shop/web/app"),
                new LogCase("kubectl logs -f --tail", ONE_CONTAINER, "container=app&follow=true&tailLines=10",
                        "/containerLogs/shop/web/app?follow=true&tailLines=10"),
                new LogCase("every option, keys sorted", TWO_CONTAINERS,
                        "timestamps=true&tailLines=5&sinceSeconds=60&previous=1&limitBytes=100&follow=True&container=b",
                        "/containerLogs/shop/web/b?follow=true&limitBytes=100&previous=true&sinceSeconds=60&tailLines=5&timestamps=true"),
                new LogCase("sinceTime rewritten in UTC", ONE_CONTAINER, "sinceTime=2026-01-02T03:04:05%2B02:00",
                        "/containerLogs/shop/web/app?sinceTime=2026-01-02T01%3A04%3A05Z"),
                new LogCase("false and 0 are false", ONE_CONTAINER, "follow=false&previous=0&timestamps=FALSE",
                        "/containerLogs/shop/web/app"),
                new LogCase("an init container by name", TWO_CONTAINERS, "container=setup", "/containerLogs/shop/web/setup"),
                new LogCase("an ephemeral container by name", TWO_CONTAINERS, "container=debug", "/containerLogs/shop/web/debug"));
    }

    @ParameterizedTest
    @MethodSource("logTargets")
    void logsGoToContainerLogsWithKubeApiserversQuery(LogCase c) {
        assertThat(KubeletTargets.logs(c.pod(), query(c.query()))).isEqualTo(c.target());
    }

    record ErrorCase(String name, ObjectNode pod, String query, int code, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ErrorCase> logErrors() {
        return Stream.of(
                new ErrorCase("several containers and none named", TWO_CONTAINERS, "", 400,
                        "a container name must be specified for pod web, choose one of: [setup a b debug]"),
                new ErrorCase("a container the pod does not have", ONE_CONTAINER, "container=db", 400,
                        "container db is not valid for pod web"),
                new ErrorCase("tailLines not a number", ONE_CONTAINER, "tailLines=ten", 400,
                        "tailLines: Invalid value: \"ten\": must be an integer"),
                new ErrorCase("sinceTime not a time", ONE_CONTAINER, "sinceTime=yesterday", 400,
                        "sinceTime: Invalid value: \"yesterday\": must be an RFC 3339 time"),
                new ErrorCase("negative tailLines", ONE_CONTAINER, "tailLines=-1", 422,
                        "PodLogOptions \"web\" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0"),
                new ErrorCase("zero limitBytes", ONE_CONTAINER, "limitBytes=0", 422,
                        "PodLogOptions \"web\" is invalid: limitBytes: Invalid value: 0: must be greater than 0"),
                new ErrorCase("zero sinceSeconds", ONE_CONTAINER, "sinceSeconds=0", 422,
                        "PodLogOptions \"web\" is invalid: sinceSeconds: Invalid value: 0: must be greater than 0"),
                new ErrorCase("both since options", ONE_CONTAINER, "sinceSeconds=5&sinceTime=2026-01-01T00:00:00Z", 422,
                        "PodLogOptions \"web\" is invalid: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified"));
    }

    @ParameterizedTest
    @MethodSource("logErrors")
    void badLogRequestsAreKubeApiserversErrors(ErrorCase c) {
        assertThatThrownBy(() -> KubeletTargets.logs(c.pod(), query(c.query())))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(c.code());
                    assertThat(e.getMessage()).isEqualTo(c.message());
                });
    }

    record StreamCase(String name, KubeletTargets.Kind kind, ObjectNode pod, String query, String target) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<StreamCase> streamTargets() {
        return Stream.of(
                new StreamCase("kubectl exec -- sh -c 'echo hi'", KubeletTargets.Kind.EXEC, ONE_CONTAINER,
                        "command=sh&command=-c&command=echo%20hi&container=app&stdin=false&stdout=true&stderr=true&tty=false",
                        "/exec/shop/web/app?command=sh&command=-c&command=echo+hi&stderr=1&stdout=1"),
                new StreamCase("kubectl exec -it", KubeletTargets.Kind.EXEC, TWO_CONTAINERS,
                        "command=sh&container=a&stdin=true&stdout=true&tty=true",
                        "/exec/shop/web/a?command=sh&stdin=1&stdout=1&tty=1"),
                new StreamCase("attach ignores command", KubeletTargets.Kind.ATTACH, ONE_CONTAINER,
                        "command=ls&stdout=true&stdin=true", "/attach/shop/web/app?stdin=1&stdout=1"),
                new StreamCase("port forward with ports", KubeletTargets.Kind.PORT_FORWARD, TWO_CONTAINERS,
                        "ports=8080&ports=9090,53", "/portForward/shop/web?port=8080%2C9090%2C53"),
                new StreamCase("port forward without ports", KubeletTargets.Kind.PORT_FORWARD, ONE_CONTAINER, "",
                        "/portForward/shop/web"));
    }

    @ParameterizedTest
    @MethodSource("streamTargets")
    void streamsGoToTheKubeletsPaths(StreamCase c) {
        assertThat(KubeletTargets.stream(c.kind(), c.pod(), query(c.query()))).isEqualTo(c.target());
    }

    private static Map<String, String[]> query(String query) {
        Map<String, java.util.List<String>> values = new LinkedHashMap<>();
        if (!query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = java.net.URLDecoder.decode(pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8);
                String value = java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
                values.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(value);
            }
        }
        Map<String, String[]> result = new LinkedHashMap<>();
        values.forEach((k, v) -> result.put(k, v.toArray(String[]::new)));
        return result;
    }

    private static ObjectNode pod(String json) {
        return (ObjectNode) Json.MAPPER.readTree(json);
    }
}
