package io.kube4j.store.relay;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ChangeEncoderTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final ChangeEncoder encoder = new ChangeEncoder();

    record Case(String name, Change change, String topic, String key, String expectedEvent) {
        @Override
        public String toString() {
            return name;
        }
    }

    static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    static Change put(String key, String value, String previous, boolean created, long revision) {
        return new Change(key, bytes(value), bytes(previous), false, created, revision);
    }

    static Change delete(String key, String previous, long revision) {
        return new Change(key, new byte[0], bytes(previous), true, false, revision);
    }

    static Stream<Case> published() {
        String pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web\",\"namespace\":\"default\",\"resourceVersion\":\"3\"},\"spec\":{}}";
        String node = "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"n1\"}}";
        return Stream.of(
                new Case("create is ADDED with the create revision",
                        put("/registry/core/pods/default/web", pod, null, true, 7),
                        "registry.core.pods", "default/web",
                        "{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web\",\"namespace\":\"default\",\"resourceVersion\":\"7\"},\"spec\":{}}}"),
                new Case("update is MODIFIED",
                        put("/registry/core/pods/default/web", pod, pod, false, 9),
                        "registry.core.pods", "default/web",
                        "{\"type\":\"MODIFIED\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web\",\"namespace\":\"default\",\"resourceVersion\":\"9\"},\"spec\":{}}}"),
                new Case("delete is DELETED: the previous state with the deleting revision",
                        delete("/registry/core/pods/default/web", pod, 12),
                        "registry.core.pods", "default/web",
                        "{\"type\":\"DELETED\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web\",\"namespace\":\"default\",\"resourceVersion\":\"12\"},\"spec\":{}}}"),
                new Case("delete whose previous state is gone keeps the object's identity",
                        delete("/registry/apps/deployments/ns/api", null, 15),
                        "registry.apps.deployments", "ns/api",
                        "{\"type\":\"DELETED\",\"object\":{\"metadata\":{\"name\":\"api\",\"namespace\":\"ns\",\"resourceVersion\":\"15\"}}}"),
                new Case("cluster-scoped object keyed by name",
                        put("/registry/core/nodes/n1", node, null, true, 20),
                        "registry.core.nodes", "n1",
                        "{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"n1\",\"resourceVersion\":\"20\"}}}"),
                new Case("object without metadata gets some",
                        put("/registry/core/configmaps/ns/c", "{\"data\":{}}", null, true, 21),
                        "registry.core.configmaps", "ns/c",
                        "{\"type\":\"ADDED\",\"object\":{\"data\":{},\"metadata\":{\"resourceVersion\":\"21\"}}}"));
    }

    @ParameterizedTest
    @MethodSource("published")
    void encodesWatchEvents(Case c) {
        var outcome = encoder.encode(c.change());
        assertThat(outcome).isInstanceOf(ChangeEncoder.Outcome.Publish.class);
        RelayRecord record = ((ChangeEncoder.Outcome.Publish) outcome).record();
        assertThat(record.topic()).isEqualTo(c.topic());
        assertThat(record.key()).isEqualTo(c.key());
        assertThat(record.revision()).isEqualTo(c.change().revision());
        JsonNode actual = JSON.readTree(record.value());
        assertThat(actual).isEqualTo(JSON.readTree(c.expectedEvent()));
    }

    record SkipCase(Change change, String reason) {
    }

    static Stream<SkipCase> skipped() {
        return Stream.of(
                new SkipCase(put("/registry/core/pods", "{}", null, true, 3), "unrecognized-key"),
                new SkipCase(put("/registry/core/pods/ns/a", "not json", null, true, 4), "not-json-object"),
                new SkipCase(put("/registry/core/pods/ns/a", "[1,2]", null, true, 5), "not-json-object"),
                new SkipCase(put("/registry/core/pods/ns/a", "", null, true, 6), "not-json-object"));
    }

    @ParameterizedTest
    @MethodSource("skipped")
    void skipsWhatIsNotAnObjectUnderRegistry(SkipCase c) {
        var outcome = encoder.encode(c.change());
        assertThat(outcome).isInstanceOfSatisfying(ChangeEncoder.Outcome.Skip.class,
                skip -> assertThat(skip.reason()).isEqualTo(c.reason()));
    }
}
