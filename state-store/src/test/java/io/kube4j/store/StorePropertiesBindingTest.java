package io.kube4j.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The configuration keys an operator writes, bound as Spring Boot binds them. */
class StorePropertiesBindingTest {

    private static <T> T bind(String prefix, Class<T> type, Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate(prefix, Bindable.of(type));
    }

    @Test
    void etcdDefaults() {
        EtcdStoreProperties etcd = bind("kube4j.etcd", EtcdStoreProperties.class, Map.of());

        assertThat(etcd.endpoints()).containsExactly("http://127.0.0.1:2379");
        assertThat(etcd.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(etcd.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(etcd.maxResponseBytes()).isEqualTo(256 * 1024 * 1024);
    }

    @Test
    void etcdSettings() {
        EtcdStoreProperties etcd = bind("kube4j.etcd", EtcdStoreProperties.class, Map.of(
                "kube4j.etcd.endpoints", "http://etcd-0:2379,http://etcd-1:2379",
                "kube4j.etcd.request-timeout", "3s",
                "kube4j.etcd.connect-timeout", "500ms"));

        assertThat(etcd.endpoints()).isEqualTo(List.of("http://etcd-0:2379", "http://etcd-1:2379"));
        assertThat(etcd.requestTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(etcd.connectTimeout()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void compactionDefaultsAndSettings() {
        CompactorProperties defaults = bind("kube4j.compaction", CompactorProperties.class, Map.of());
        assertThat(defaults).isEqualTo(new CompactorProperties(true, Duration.ofMinutes(1), Duration.ofMinutes(5)));

        CompactorProperties set = bind("kube4j.compaction", CompactorProperties.class, Map.of(
                "kube4j.compaction.enabled", "false",
                "kube4j.compaction.interval", "30s",
                "kube4j.compaction.retention", "10m"));
        assertThat(set).isEqualTo(new CompactorProperties(false, Duration.ofSeconds(30), Duration.ofMinutes(10)));
    }
}
