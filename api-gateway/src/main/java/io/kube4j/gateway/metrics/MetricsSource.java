package io.kube4j.gateway.metrics;

import java.util.List;

/**
 * Where the node agents' metrics are read from: the values of {@link io.kube4j.machinery.ephemeral.EphemeralKeys}
 * keys. Implementations are thread-safe and read-only.
 */
public interface MetricsSource {

    /**
     * The current values of {@code keys}, in the same order; null where a key has no value (never
     * written, or expired because its node stopped reporting).
     *
     * @throws io.kube4j.machinery.errors.ApiException 503 ServiceUnavailable when the store cannot be read
     */
    List<String> values(List<String> keys);
}
