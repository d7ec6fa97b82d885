package io.kube4j.controller.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.kube4j.controller.pods.Owners;
import io.kube4j.testcluster.LocalCluster;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The crash test: kill -9 of the controller service in the middle of rolling a
 * 100-replica Deployment; after a restart it converges to exactly 100 pods of the new template,
 * each controlled by the new ReplicaSet — no duplicates, no orphans.
 */
class ControllerCrashTest {

    static final String NS = "crash";

    @Test
    void killedMidRolloutItConvergesToExactlyTheNewTemplate() throws Exception {
        try (LocalCluster cluster = LocalCluster.start();
             ControllerProcess controllers = new ControllerProcess(cluster, cluster.directory().resolve("controllers.log"), "crash-a");
             PodReadiness readiness = new PodReadiness(cluster.client(), NS, p -> true)) {
            var kubectl = cluster.kubectl();
            kubectl.ok("create", "namespace", NS);
            controllers.start();
            // Ten pods a step: a rollout long enough to be killed in the middle, short enough for CI.
            kubectl.runWithInput(WorkloadsEndToEndTest.manifest(NS, 100, "nginx:1", "")
                    .replace("{maxSurge: 1, maxUnavailable: 1}", "{maxSurge: 10, maxUnavailable: 10}"), "apply", "-f", "-");
            await(Duration.ofSeconds(180), () -> availableReplicas(cluster) == 100, () -> controllers.tail());

            kubectl.ok("set", "image", "deployment/web", "web=nginx:2", "-n", NS);
            // The middle of the rollout: both templates have many pods.
            await(Duration.ofSeconds(120), () -> {
                List<Pod> pods = livePods(cluster);
                long fresh = pods.stream().filter(p -> PodReadiness.image(p, "nginx:2")).count();
                return fresh >= 20 && pods.size() - fresh >= 20;
            }, controllers::tail);
            controllers.kill();
            long freshAtKill = livePods(cluster).stream().filter(p -> PodReadiness.image(p, "nginx:2")).count();
            assertThat(freshAtKill).as("killed mid-rollout").isLessThan(100);

            controllers.start();
            await(Duration.ofSeconds(240), () -> converged(cluster), controllers::tail);
            // And it stays there: nothing more is created or deleted.
            Thread.sleep(3000);
            assertThat(converged(cluster)).isTrue();
            List<Pod> all = cluster.client().pods().inNamespace(NS).list().getItems();
            assertThat(all).hasSize(100);
            assertThat(all.stream().map(p -> p.getMetadata().getName()).distinct().count()).isEqualTo(100);
        }
    }

    static boolean converged(LocalCluster cluster) {
        Deployment d = cluster.client().apps().deployments().inNamespace(NS).withName("web").get();
        List<ReplicaSet> sets = cluster.client().apps().replicaSets().inNamespace(NS).list().getItems();
        ReplicaSet fresh = sets.stream().filter(rs -> rs.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage().equals("nginx:2"))
                .findFirst().orElse(null);
        if (fresh == null || d.getStatus() == null) return false;
        List<Pod> pods = cluster.client().pods().inNamespace(NS).list().getItems();
        boolean allNewAndOwned = pods.stream().allMatch(p -> PodReadiness.image(p, "nginx:2") && Owners.isControlledBy(p, fresh)
                && p.getMetadata().getDeletionTimestamp() == null);
        boolean oldAtZero = sets.stream().filter(rs -> rs != fresh && !rs.getMetadata().getUid().equals(fresh.getMetadata().getUid()))
                .allMatch(rs -> rs.getSpec().getReplicas() == 0);
        return pods.size() == 100 && allNewAndOwned && oldAtZero
                && d.getStatus().getUpdatedReplicas() != null && d.getStatus().getUpdatedReplicas() == 100
                && d.getStatus().getReplicas() == 100 && d.getStatus().getAvailableReplicas() != null && d.getStatus().getAvailableReplicas() == 100;
    }

    static int availableReplicas(LocalCluster cluster) {
        Deployment d = cluster.client().apps().deployments().inNamespace(NS).withName("web").get();
        return d == null || d.getStatus() == null || d.getStatus().getAvailableReplicas() == null ? 0 : d.getStatus().getAvailableReplicas();
    }

    static List<Pod> livePods(LocalCluster cluster) {
        return cluster.client().pods().inNamespace(NS).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    static void await(Duration timeout, BooleanSupplier condition, java.util.function.Supplier<String> diagnostics) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not reached within " + timeout + "; controller log:\n" + diagnostics.get());
            Thread.sleep(200);
        }
    }
}
