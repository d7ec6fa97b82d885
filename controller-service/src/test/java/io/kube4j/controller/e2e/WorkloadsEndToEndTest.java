package io.kube4j.controller.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.kube4j.controller.deployment.Rollouts;
import io.kube4j.testcluster.LocalCluster;
import io.kube4j.testsupport.Kubectl;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static io.kube4j.controller.e2e.ControllerServiceTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deployments, ReplicaSets and pods on the real stack with the controller service in this JVM,
 * driven by the real kubectl: apply, rollout status/history/undo (previous and --to-revision),
 * scale, pause/resume, a rollout that stalls on pods that never become Ready. Pods become Ready
 * when the test says so, through the status subresource ({@link PodReadiness}).
 */
@ExtendWith(SharedControlPlane.Extension.class)
class WorkloadsEndToEndTest {

    static LocalCluster cluster;

    @BeforeAll
    static void start(SharedControlPlane plane) {
        cluster = plane.cluster();
    }

    static String manifest(String namespace, int replicas, String image, String extraSpec) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  namespace: %s
                spec:
                  replicas: %d
                  selector:
                    matchLabels: {app: web}
                  strategy:
                    rollingUpdate: {maxSurge: 1, maxUnavailable: 1}
                %s  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      containers:
                      - name: web
                        image: %s
                """.formatted(namespace, replicas, extraSpec, image);
    }

    List<Pod> pods(String namespace) {
        return cluster.client().pods().inNamespace(namespace).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    Map<String, Long> imagesOfPods(String namespace) {
        return pods(namespace).stream().collect(Collectors.groupingBy(p -> p.getSpec().getContainers().getFirst().getImage(), Collectors.counting()));
    }

    @Test
    void rolloutStatusHistoryUndoAndScaleWithTheRealKubectl() throws Exception {
        Kubectl kubectl = cluster.kubectl();
        kubectl.ok("create", "namespace", "roll");
        try (var readiness = new PodReadiness(cluster.client(), "roll", p -> true)) {
            kubectl.runWithInput(manifest("roll", 3, "nginx:1", ""), "apply", "-f", "-");
            assertThat(kubectl.ok("rollout", "status", "deployment/web", "-n", "roll", "--timeout=90s"))
                    .contains("deployment \"web\" successfully rolled out");
            assertThat(imagesOfPods("roll")).isEqualTo(Map.of("nginx:1", 3L));
            Pod pod = pods("roll").getFirst();
            assertThat(pod.getMetadata().getName()).matches("web-[a-z0-9]+-[a-z0-9]{5}");
            assertThat(pod.getMetadata().getLabels()).containsKey("pod-template-hash");

            kubectl.ok("set", "image", "deployment/web", "web=nginx:2", "-n", "roll");
            assertThat(kubectl.ok("rollout", "status", "deployment/web", "-n", "roll", "--timeout=90s")).contains("successfully rolled out");
            await(() -> imagesOfPods("roll").equals(Map.of("nginx:2", 3L)));

            String history = kubectl.ok("rollout", "history", "deployment/web", "-n", "roll");
            assertThat(history).contains("REVISION").containsPattern("(?m)^1\\s").containsPattern("(?m)^2\\s");
            assertThat(kubectl.ok("rollout", "history", "deployment/web", "-n", "roll", "--revision=1")).contains("nginx:1");

            assertThat(kubectl.ok("rollout", "undo", "deployment/web", "-n", "roll")).contains("rolled back");
            assertThat(kubectl.ok("rollout", "status", "deployment/web", "-n", "roll", "--timeout=90s")).contains("successfully rolled out");
            await(() -> imagesOfPods("roll").equals(Map.of("nginx:1", 3L)));
            assertThat(annotation("roll", Rollouts.REVISION)).isEqualTo("3");

            kubectl.ok("rollout", "undo", "deployment/web", "-n", "roll", "--to-revision=2");
            assertThat(kubectl.ok("rollout", "status", "deployment/web", "-n", "roll", "--timeout=90s")).contains("successfully rolled out");
            await(() -> imagesOfPods("roll").equals(Map.of("nginx:2", 3L)));
            assertThat(annotation("roll", Rollouts.REVISION)).isEqualTo("4");
            assertThat(kubectl.ok("rollout", "history", "deployment/web", "-n", "roll")).containsPattern("(?m)^3\\s").containsPattern("(?m)^4\\s");

            kubectl.ok("scale", "deployment/web", "--replicas=5", "-n", "roll");
            await(() -> imagesOfPods("roll").equals(Map.of("nginx:2", 5L)));
            assertThat(kubectl.ok("rollout", "status", "deployment/web", "-n", "roll", "--timeout=90s")).contains("successfully rolled out");
            Deployment d = cluster.client().apps().deployments().inNamespace("roll").withName("web").get();
            assertThat(d.getStatus().getReplicas()).isEqualTo(5);
            assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(5);
            assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(5);
            assertThat(d.getStatus().getObservedGeneration()).isEqualTo(d.getMetadata().getGeneration());
            // The controllers' writes carry the field manager Kubernetes' controller manager does.
            assertThat(d.getMetadata().getManagedFields())
                    .anySatisfy(m -> {
                        assertThat(m.getManager()).isEqualTo("kube-controller-manager");
                        assertThat(m.getSubresource()).isEqualTo("status");
                    })
                    .anySatisfy(m -> assertThat(m.getSubresource()).isEqualTo("scale"));
            String described = kubectl.ok("describe", "deployment", "web", "-n", "roll");
            assertThat(described).contains("NewReplicaSetAvailable").contains("MinimumReplicasAvailable")
                    .containsPattern("Scaled up replica set web-[a-z0-9]+ to 5 from 3");
            assertThat(kubectl.ok("get", "replicasets", "-n", "roll", "-o", "name").lines().count()).isEqualTo(2);
        }
    }

    @Test
    void aRolloutWhoseNewPodsNeverBecomeReadyStallsWithinMaxUnavailableAndMissesItsDeadline() throws Exception {
        Kubectl kubectl = cluster.kubectl();
        kubectl.ok("create", "namespace", "stall");
        try (var readiness = new PodReadiness(cluster.client(), "stall", p -> !PodReadiness.image(p, "nginx:broken"))) {
            kubectl.runWithInput(manifest("stall", 4, "nginx:1", "  progressDeadlineSeconds: 8\n  minReadySeconds: 1\n"), "apply", "-f", "-");
            assertThat(kubectl.ok("rollout", "status", "deployment/web", "-n", "stall", "--timeout=90s")).contains("successfully rolled out");

            kubectl.ok("set", "image", "deployment/web", "web=nginx:broken", "-n", "stall");
            // maxSurge 1, maxUnavailable 1 of 4: never fewer than 3 ready old pods, never more than 5 pods.
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (System.nanoTime() < deadline) {
                List<Pod> pods = pods("stall");
                long readyOld = pods.stream().filter(p -> PodReadiness.image(p, "nginx:1") && PodReadiness.ready(p)).count();
                assertThat(readyOld).as("ready old pods").isGreaterThanOrEqualTo(3);
                assertThat(pods.size()).as("pods").isLessThanOrEqualTo(5);
                Thread.sleep(250);
            }
            var status = kubectl.run("rollout", "status", "deployment/web", "-n", "stall", "--timeout=30s");
            assertThat(status.ok()).isFalse();
            assertThat(status.err()).contains("exceeded its progress deadline");
            Deployment d = cluster.client().apps().deployments().inNamespace("stall").withName("web").get();
            var progressing = Rollouts.condition(d.getStatus(), Rollouts.PROGRESSING);
            assertThat(progressing.getReason()).isEqualTo("ProgressDeadlineExceeded");
            assertThat(Rollouts.condition(d.getStatus(), Rollouts.AVAILABLE).getStatus()).isEqualTo("True");

            // Paused: a template change makes no new ReplicaSet until resumed.
            kubectl.ok("rollout", "pause", "deployment/web", "-n", "stall");
            kubectl.ok("set", "image", "deployment/web", "web=nginx:3", "-n", "stall");
            Thread.sleep(2000);
            assertThat(replicaSetImages("stall")).doesNotContain("nginx:3");
            kubectl.ok("rollout", "resume", "deployment/web", "-n", "stall");
            assertThat(kubectl.ok("rollout", "status", "deployment/web", "-n", "stall", "--timeout=90s")).contains("successfully rolled out");
            await(() -> imagesOfPods("stall").equals(Map.of("nginx:3", 4L)));
        }
    }

    List<String> replicaSetImages(String namespace) {
        return cluster.client().apps().replicaSets().inNamespace(namespace).list().getItems().stream()
                .map(rs -> rs.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage()).toList();
    }

    String annotation(String namespace, String key) {
        return cluster.client().apps().deployments().inNamespace(namespace).withName("web").get().getMetadata().getAnnotations().get(key);
    }

    @Test
    void aDisruptionBudgetGatesEvictions() throws Exception {
        Kubectl kubectl = cluster.kubectl();
        kubectl.ok("create", "namespace", "budget");
        try (var readiness = new PodReadiness(cluster.client(), "budget", p -> true)) {
            kubectl.runWithInput(manifest("budget", 3, "nginx:1", ""), "apply", "-f", "-");
            kubectl.runWithInput("""
                    apiVersion: policy/v1
                    kind: PodDisruptionBudget
                    metadata: {name: web, namespace: budget}
                    spec:
                      minAvailable: 2
                      selector: {matchLabels: {app: web}}
                    """, "apply", "-f", "-");
            await(() -> kubectl.ok("get", "pdb", "web", "-n", "budget").matches("(?s).*web\\s+2\\s+N/A\\s+1\\s.*"));
            assertThat(kubectl.ok("get", "pdb", "web", "-n", "budget", "-o", "jsonpath={.status.expectedPods} {.status.currentHealthy} {.status.desiredHealthy}"))
                    .isEqualTo("3 3 2");

            // Replacements stay unready for now: one eviction spends the budget, the next is refused.
            List<String> original = pods("budget").stream().map(p -> p.getMetadata().getName()).sorted().toList();
            readiness.becomesReady(p -> original.contains(p.getMetadata().getName()));
            assertThat(cluster.client().pods().inNamespace("budget").withName(original.get(0)).evict()).isTrue();
            Kubectl.Result refused = kubectl.runWithInput("""
                    {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": "%s", "namespace": "budget"}}
                    """.formatted(original.get(1)), "create", "--raw", "/api/v1/namespaces/budget/pods/" + original.get(1) + "/eviction", "-f", "-");
            assertThat(refused.ok()).isFalse();
            assertThat(refused.err()).contains("Cannot evict pod as it would violate the pod's disruption budget");
            assertThat(cluster.client().pods().inNamespace("budget").withName(original.get(1)).get().getMetadata().getDeletionTimestamp())
                    .as("the refused pod stays").isNull();

            // Once the replacement is Ready the budget allows one again.
            readiness.becomesReady(p -> true);
            await(() -> kubectl.ok("get", "pdb", "web", "-n", "budget", "-o", "jsonpath={.status.disruptionsAllowed}").equals("1"));
            assertThat(cluster.client().pods().inNamespace("budget").withName(original.get(1)).evict()).isTrue();
        }
    }

    static void eventually(BooleanSupplier condition) throws InterruptedException {
        await(condition);
    }
}
