package io.kube4j.controller.e2e;

import io.kube4j.testcluster.LocalCluster;
import io.kube4j.testsupport.RedisProcess;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.Map;

/**
 * One control plane — etcd, Kafka, the relay, a gateway serving metrics.k8s.io from a Redis — and
 * one controller service reading node heartbeats from that Redis, shared by the end-to-end classes
 * whose tests keep to namespaces of their own, give cluster-wide objects (Nodes, volumes, custom
 * resource definitions) names no other class uses, and delete the Nodes they made when done.
 * Starting them takes longer than most of those classes' tests, so they start once per test
 * run (as Kubernetes' e2e suites share one cluster) and stop when the run ends. Classes that
 * change the cluster for everyone — a controller service killed mid-run or configured
 * differently — start their own.
 *
 * <p>The shared controller service differs from the launcher's defaults where a class needs it:
 * the autoscaler's sync period is one second instead of 15 (the autoscaler test sees each scaling
 * step within seconds); the controllers read an {@link AdjustableClock} (the CronJob test moves it
 * past a scheduled time instead of waiting a minute for it); a node silent for 4 s instead of 40 s
 * is unreachable, checked every second (the node lifecycle test; a class whose test needs its
 * Nodes Ready writes heartbeats for them); pods bound to a deleted node are removed after 1 s instead of 40 s
 * (the pod garbage collector's test); and the load-balancer pool is two addresses (the test that spends it).
 *
 * <p>Use: {@code @ExtendWith(SharedControlPlane.Extension.class)} on the class, and a
 * {@code SharedControlPlane} parameter on its {@code @BeforeAll} method.
 */
final class SharedControlPlane implements AutoCloseable {

    private final RedisProcess redis;
    private final LocalCluster cluster;
    private final AdjustableClock clock;
    private final ConfigurableApplicationContext controllers;

    private SharedControlPlane(RedisProcess redis, LocalCluster cluster, AdjustableClock clock, ConfigurableApplicationContext controllers) {
        this.redis = redis;
        this.cluster = cluster;
        this.clock = clock;
        this.controllers = controllers;
    }

    private static SharedControlPlane start() {
        RedisProcess redis = RedisProcess.start();
        LocalCluster cluster = null;
        try {
            cluster = LocalCluster.start(Map.of("spring.data.redis.port", Integer.toString(redis.port())));
            AdjustableClock clock = new AdjustableClock();
            ConfigurableApplicationContext controllers = ControllerServices.start(cluster, "shared-a", clock,
                    "--kube4j.controllers.horizontal-pod-autoscaler.sync-period=1s",
                    "--kube4j.controllers.nodes.grace-period=4s",
                    "--kube4j.controllers.nodes.monitor-period=1s",
                    "--kube4j.controllers.podgc.quarantine=1s",
                    "--kube4j.controllers.load-balancer.pool=192.168.77.1-192.168.77.2",
                    // What the DaemonSet controller decides, pass by pass: DaemonSetEndToEndTest's rollout has been seen stuck.
                    "--logging.level.io.kube4j.controller.daemonset=DEBUG",
                    "--spring.data.redis.host=127.0.0.1",
                    "--spring.data.redis.port=" + redis.port());
            return new SharedControlPlane(redis, cluster, clock, controllers);
        } catch (RuntimeException e) {
            if (cluster != null) cluster.close();
            redis.close();
            throw e;
        }
    }

    LocalCluster cluster() {
        return cluster;
    }

    /** The Redis the gateway reads pod metrics from (node agents write them there). */
    RedisProcess redis() {
        return redis;
    }

    /** The clock the shared controllers read. */
    AdjustableClock clock() {
        return clock;
    }

    /** Deletes the namespaces a class made, without waiting: what they hold must not keep the shared controllers busy. */
    void deleteNamespaces(String... namespaces) {
        for (String namespace : namespaces) cluster.kubectl().run("delete", "namespace", namespace, "--wait=false");
    }

    @Override
    public void close() {
        try {
            controllers.close();
        } finally {
            try {
                cluster.close();
            } finally {
                redis.close();
            }
        }
    }

    /**
     * Starts the shared control plane on the first class that asks and keeps it in the run's root
     * store, which closes it when the run ends; resolves {@code SharedControlPlane} parameters.
     */
    static final class Extension implements BeforeAllCallback, ParameterResolver {

        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedControlPlane.class);

        @Override
        public void beforeAll(ExtensionContext context) {
            plane(context);
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == SharedControlPlane.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return plane(context);
        }

        private static SharedControlPlane plane(ExtensionContext context) {
            return context.getRoot().getStore(NAMESPACE)
                    .computeIfAbsent(SharedControlPlane.class, key -> start(), SharedControlPlane.class);
        }
    }
}
