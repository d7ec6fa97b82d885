package io.kube4j.gateway.health;

import io.kube4j.store.MemoryStore;
import io.kube4j.store.Store;
import io.kube4j.store.StoreException;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class StoreHealthCheckTest {

    /** A store whose every call fails as an unreachable etcd's calls do. */
    private static Store unreachable() {
        return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[]{Store.class}, (proxy, method, args) -> {
            throw new StoreException.Unavailable("connection refused", null);
        });
    }

    /** A store whose calls hang, as calls to an etcd that accepts connections but never answers. */
    private static Store hanging() {
        return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[]{Store.class}, (proxy, method, args) -> {
            Thread.sleep(60_000);
            return 0L;
        });
    }

    @Test
    void passesWhenTheStoreAnswers() {
        StoreHealthCheck check = new StoreHealthCheck(new MemoryStore(), Duration.ofSeconds(2));
        assertThat(check.name()).isEqualTo("etcd");
        assertThat(check.probes()).containsExactlyInAnyOrder(HealthCheck.Probe.HEALTHZ, HealthCheck.Probe.READYZ);
        assertThat(check.passes()).isTrue();
    }

    @Test
    void failsWhenTheStoreIsUnavailable() {
        assertThat(new StoreHealthCheck(unreachable(), Duration.ofSeconds(2)).passes()).isFalse();
    }

    @Test
    void failsWithinItsTimeoutWhenTheStoreHangs() {
        long start = System.nanoTime();
        assertThat(new StoreHealthCheck(hanging(), Duration.ofMillis(200)).passes()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }
}
