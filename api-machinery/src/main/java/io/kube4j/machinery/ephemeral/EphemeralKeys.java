package io.kube4j.machinery.ephemeral;

/**
 * The Redis keys of kube4j's ephemeral, high-rate data: node heartbeats and resource metrics.
 * Nothing here is an API object; losing Redis loses no object, only the freshness of these
 * values until the node agents write them again.
 *
 * <ul>
 *   <li>{@link #heartbeat(String)}: written by the node agent every
 *       {@link #HEARTBEAT_INTERVAL_SECONDS}; value the epoch milliseconds of the beat as a decimal
 *       string; expires after {@link #HEARTBEAT_TTL_SECONDS}. The node-lifecycle controller treats
 *       a node whose key is absent or older than its grace period as silent.</li>
 *   <li>{@link #nodeMetrics(String)}: written by the node agent every
 *       {@link #METRICS_INTERVAL_SECONDS}; value JSON
 *       {@code {"timestamp":"2026-01-01T00:00:00Z","window":"15s","usage":{"cpu":"250m","memory":"1024Ki"}}};
 *       expires after {@link #METRICS_TTL_SECONDS}.</li>
 *   <li>{@link #podMetrics(String, String)}: written with the node's metrics for each running pod;
 *       value JSON {@code {"timestamp":…,"window":"15s","containers":[{"name":"app","usage":{"cpu":"5m","memory":"2Mi"}}]}};
 *       expires after {@link #METRICS_TTL_SECONDS}. Pods are found by scanning {@link #POD_METRICS_PATTERN}.</li>
 * </ul>
 * Quantities use Kubernetes' canonical quantity strings, so they read back through
 * {@link io.kube4j.machinery.quantity.Quantity}.
 */
public final class EphemeralKeys {

    public static final int HEARTBEAT_INTERVAL_SECONDS = 10;
    public static final int HEARTBEAT_TTL_SECONDS = 300;
    public static final int METRICS_INTERVAL_SECONDS = 15;
    public static final int METRICS_TTL_SECONDS = 60;

    public static final String HEARTBEAT_PREFIX = "kube4j:heartbeat:";
    public static final String NODE_METRICS_PREFIX = "kube4j:metrics:node:";
    public static final String POD_METRICS_PREFIX = "kube4j:metrics:pod:";
    public static final String NODE_METRICS_PATTERN = NODE_METRICS_PREFIX + "*";
    public static final String POD_METRICS_PATTERN = POD_METRICS_PREFIX + "*";

    private EphemeralKeys() {
    }

    /** The heartbeat key of a node. */
    public static String heartbeat(String node) {
        return HEARTBEAT_PREFIX + node;
    }

    /** The metrics key of a node. */
    public static String nodeMetrics(String node) {
        return NODE_METRICS_PREFIX + node;
    }

    /** The metrics key of a pod: {@code kube4j:metrics:pod:{namespace}/{name}}. */
    public static String podMetrics(String namespace, String name) {
        return POD_METRICS_PREFIX + namespace + "/" + name;
    }
}
