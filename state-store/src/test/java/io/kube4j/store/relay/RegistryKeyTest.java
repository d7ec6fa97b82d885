package io.kube4j.store.relay;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class RegistryKeyTest {

    record Case(String key, String topic, String recordKey) {
    }

    static Stream<Case> relayable() {
        return Stream.of(
                new Case("/registry/core/pods/default/web-0", "registry.core.pods", "default/web-0"),
                new Case("/registry/apps/deployments/kube-system/coredns", "registry.apps.deployments", "kube-system/coredns"),
                new Case("/registry/core/nodes/node-1", "registry.core.nodes", "node-1"),
                new Case("/registry/rbac.authorization.k8s.io/clusterroles/admin", "registry.rbac.authorization.k8s.io.clusterroles", "admin"),
                new Case("/registry/stable.example.com/crontabs/ns1/my.cron", "registry.stable.example.com.crontabs", "ns1/my.cron"));
    }

    @ParameterizedTest
    @MethodSource("relayable")
    void mapsKeysToTopicAndRecordKey(Case c) {
        var key = RegistryKey.parse(c.key()).orElseThrow();
        assertThat(key.topic()).isEqualTo(c.topic());
        assertThat(key.recordKey()).isEqualTo(c.recordKey());
    }

    @ParameterizedTest
    @MethodSource("unrelayable")
    void rejectsKeysOfAnyOtherShape(String key) {
        assertThat(RegistryKey.parse(key)).isEmpty();
    }

    static Stream<String> unrelayable() {
        return Stream.of(
                "/kube4j/relay/checkpoint",
                "/registry/",
                "/registry/core",
                "/registry/core/pods",
                "/registry/core/pods/",
                "/registry/core/pods//name",
                "/registry/core/pods/ns/name/extra",
                "registry/core/pods/ns/name");
    }
}
