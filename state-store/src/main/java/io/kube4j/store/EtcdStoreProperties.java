package io.kube4j.store;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How {@link EtcdStore} reaches etcd.
 *
 * @param endpoints        client URLs of the etcd members, e.g. {@code http://127.0.0.1:2379}
 * @param requestTimeout   how long one store call may take before it fails with
 *                         {@link StoreException.Unavailable}; while etcd is unreachable a call
 *                         waits up to this long for it to come back
 * @param connectTimeout   how long one TCP connection attempt to a member may take
 * @param maxResponseBytes the largest response accepted from etcd (lists and watch batches of
 *                         large objects exceed gRPC's 4 MiB default)
 */
@ConfigurationProperties("kube4j.etcd")
public record EtcdStoreProperties(
        @DefaultValue("http://127.0.0.1:2379") List<String> endpoints,
        @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("268435456") int maxResponseBytes) {

    public EtcdStoreProperties {
        endpoints = endpoints == null || endpoints.isEmpty() ? List.of("http://127.0.0.1:2379") : List.copyOf(endpoints);
        if (requestTimeout == null) requestTimeout = Duration.ofSeconds(10);
        if (connectTimeout == null) connectTimeout = Duration.ofSeconds(5);
        if (maxResponseBytes <= 0) maxResponseBytes = 256 * 1024 * 1024;
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("kube4j.etcd.request-timeout must be positive");
        }
    }

    /** The defaults, with the given endpoints. */
    public static EtcdStoreProperties of(String... endpoints) {
        return new EtcdStoreProperties(List.of(endpoints), null, null, 0);
    }

    public EtcdStoreProperties withRequestTimeout(Duration timeout) {
        return new EtcdStoreProperties(endpoints, timeout, connectTimeout, maxResponseBytes);
    }
}
