package io.kube4j.controller.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.machinery.ephemeral.EphemeralKeys;
import io.kube4j.testcluster.LocalCluster;
import io.kube4j.testsupport.Kubectl;
import io.kube4j.testsupport.RedisProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HorizontalPodAutoscaler on the real stack: the gateway serves metrics.k8s.io from a real
 * Redis, which this test fills for every pod of the Deployment as node agents do (each pod's CPU
 * usage is the "load" the test sets); {@code kubectl autoscale} makes the autoscaler; under load
 * the Deployment grows to the maximum, {@code kubectl get hpa} shows current and target; with the
 * load gone (and the scale-down window set to 0 s, so the test need not wait five minutes) it
 * shrinks to the minimum. The controllers run with a sync period of one second instead of 15 and
 * the samples cover one second instead of 15, so each step comes within seconds; the rules
 * applied at each step are the same.
 */
@ExtendWith(SharedControlPlane.Extension.class)
class HorizontalPodAutoscalerEndToEndTest {

    /**
     * The usage window each sample covers: a node agent's sampling interval (one second here; the
     * autoscaler leaves out a starting pod's CPU samples until one full window after it became Ready).
     */
    static final Duration METRICS_WINDOW = Duration.ofSeconds(1);

    static RedisProcess redis;
    static LocalCluster cluster;
    static SharedControlPlane plane;

    @BeforeAll
    static void start(SharedControlPlane shared) {
        plane = shared;
        redis = shared.redis();
        cluster = shared.cluster();
    }

    @AfterAll
    static void stop() {
        if (plane != null) plane.deleteNamespaces("hpa");
    }

    static final String MANIFEST = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: hpa}
            spec:
              replicas: 2
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                  - name: web
                    image: nginx:1
                    resources: {requests: {cpu: 100m}}
            """;

    volatile String load = "100m";

    /** Plays the node agents' metrics: every ready pod's usage over the last window, stamped now, twice a window. */
    Thread reportUsage() {
        return Thread.ofPlatform().daemon().name("pod-metrics").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
                    for (Pod pod : cluster.client().pods().inNamespace("hpa").list().getItems()) {
                        if (!PodReadiness.ready(pod)) continue;
                        redis.command("SET", EphemeralKeys.podMetrics("hpa", pod.getMetadata().getName()),
                                "{\"timestamp\":\"" + now + "\",\"window\":\"" + METRICS_WINDOW.toSeconds() + "s\",\"containers\":[{\"name\":\"web\",\"usage\":{\"cpu\":\"" + load
                                        + "\",\"memory\":\"10Mi\"}}]}", "EX", "60");
                    }
                    Thread.sleep(METRICS_WINDOW.toMillis() / 2);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException retry) {
                    // the next round tries again
                }
            }
        });
    }

    int replicas() {
        var deployment = cluster.client().apps().deployments().inNamespace("hpa").withName("web").get();
        return deployment.getSpec().getReplicas();
    }

    static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within " + timeout);
            Thread.sleep(250);
        }
    }

    @Test
    void autoscaleUpUnderLoadAndBackDown() throws Exception {
        Kubectl kubectl = cluster.kubectl();
        kubectl.ok("create", "namespace", "hpa");
        Thread reporter = reportUsage();
        try (var readiness = new PodReadiness(cluster.client(), "hpa", p -> true)) {
            kubectl.runWithInput(MANIFEST, "apply", "-f", "-");
            assertThat(kubectl.ok("autoscale", "deployment", "web", "--cpu-percent=50", "--min=1", "--max=5", "-n", "hpa"))
                    .contains("horizontalpodautoscaler.autoscaling/web autoscaled");

            // 100m used of 100m requested is 200% of the target: up, limited by max.
            await(Duration.ofSeconds(150), () -> replicas() == 5);
            await(Duration.ofSeconds(60), () -> kubectl.ok("get", "hpa", "web", "-n", "hpa").matches("(?s).*cpu: 100%/50%\\s+1\\s+5\\s+5\\s.*"));
            String described = kubectl.ok("describe", "hpa", "web", "-n", "hpa");
            assertThat(described).contains("New size: ").contains("cpu resource utilization (percentage of request) above target")
                    .contains("ScalingLimited").contains("TooManyReplicas");

            // The load goes; without a window to wait out, the Deployment shrinks to the minimum.
            kubectl.ok("patch", "hpa", "web", "-n", "hpa", "--type=merge", "-p",
                    "{\"spec\":{\"behavior\":{\"scaleDown\":{\"stabilizationWindowSeconds\":0}}}}");
            load = "2m";
            await(Duration.ofSeconds(120), () -> replicas() == 1);
            assertThat(kubectl.ok("describe", "hpa", "web", "-n", "hpa")).contains("All metrics below target");
        } finally {
            reporter.interrupt();
        }
    }
}
