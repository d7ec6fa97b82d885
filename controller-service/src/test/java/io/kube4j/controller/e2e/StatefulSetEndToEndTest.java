package io.kube4j.controller.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.kube4j.testcluster.LocalCluster;
import io.kube4j.testsupport.Kubectl;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static io.kube4j.controller.e2e.ControllerServiceTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * StatefulSets on the real stack with the controller service in this JVM, driven by the real
 * kubectl: ordered start of {@code web-0..2} (each after the one before is Ready), per-ordinal
 * claims that outlive a scale-down, a rolling update highest ordinal first, {@code rollout
 * status/history/undo} over ControllerRevisions. Pods become Ready when the test says so
 * ({@link PodReadiness}).
 */
@ExtendWith(SharedControlPlane.Extension.class)
class StatefulSetEndToEndTest {

    static LocalCluster cluster;

    @BeforeAll
    static void start(SharedControlPlane plane) {
        cluster = plane.cluster();
    }

    static final String MANIFEST = """
            apiVersion: v1
            kind: Service
            metadata: {name: web-headless, namespace: sts}
            spec:
              clusterIP: None
              selector: {app: web}
              ports: [{port: 80, targetPort: 80}]
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: web, namespace: sts}
            spec:
              replicas: 3
              serviceName: web-headless
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                  - name: web
                    image: nginx:1
                    volumeMounts: [{name: data, mountPath: /usr/share/nginx/html}]
              volumeClaimTemplates:
              - metadata: {name: data}
                spec:
                  accessModes: [ReadWriteOnce]
                  resources: {requests: {storage: 1Gi}}
            """;

    List<Pod> pods() {
        return cluster.client().pods().inNamespace("sts").list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    Map<String, String> images() {
        return pods().stream().collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p.getSpec().getContainers().getFirst().getImage()));
    }

    @Test
    void orderedStartClaimsRollingUpdateHistoryUndoAndScaleDown() throws Exception {
        Kubectl kubectl = cluster.kubectl();
        kubectl.ok("create", "namespace", "sts");
        Map<String, Instant> firstSeen = new ConcurrentHashMap<>();
        Map<String, Instant> readySeen = new ConcurrentHashMap<>();
        Thread observer = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    for (Pod p : pods()) {
                        firstSeen.putIfAbsent(p.getMetadata().getName(), Instant.now());
                        if (PodReadiness.ready(p)) readySeen.putIfAbsent(p.getMetadata().getName(), Instant.now());
                    }
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException retry) {
                    // the next round lists again
                }
            }
        });
        try (var readiness = new PodReadiness(cluster.client(), "sts", p -> true)) {
            kubectl.runWithInput(MANIFEST, "apply", "-f", "-");
            assertThat(kubectl.ok("rollout", "status", "statefulset/web", "-n", "sts", "--timeout=90s"))
                    .contains("partitioned roll out complete: 3 new pods have been updated");
            assertThat(images()).isEqualTo(Map.of("web-0", "nginx:1", "web-1", "nginx:1", "web-2", "nginx:1"));
            // OrderedReady: each pod appeared only after the one before it was Ready.
            assertThat(firstSeen.get("web-1")).isAfterOrEqualTo(readySeen.get("web-0"));
            assertThat(firstSeen.get("web-2")).isAfterOrEqualTo(readySeen.get("web-1"));
            Pod web1 = cluster.client().pods().inNamespace("sts").withName("web-1").get();
            assertThat(web1.getSpec().getHostname()).isEqualTo("web-1");
            assertThat(web1.getSpec().getSubdomain()).isEqualTo("web-headless");
            assertThat(web1.getMetadata().getLabels()).containsEntry("statefulset.kubernetes.io/pod-name", "web-1");
            assertThat(web1.getSpec().getVolumes()).anySatisfy(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("data-web-1"));
            assertThat(kubectl.ok("get", "pvc", "-n", "sts", "-o", "name").lines().sorted().toList())
                    .containsExactly("persistentvolumeclaim/data-web-0", "persistentvolumeclaim/data-web-1", "persistentvolumeclaim/data-web-2");
            assertThat(kubectl.ok("get", "statefulset", "web", "-n", "sts")).containsPattern("web\\s+3/3");

            kubectl.ok("set", "image", "statefulset/web", "web=nginx:2", "-n", "sts");
            assertThat(kubectl.ok("rollout", "status", "statefulset/web", "-n", "sts", "--timeout=90s")).contains("roll out complete: 3 new pods have been updated");
            await(() -> images().equals(Map.of("web-0", "nginx:2", "web-1", "nginx:2", "web-2", "nginx:2")));
            StatefulSet set = cluster.client().apps().statefulSets().inNamespace("sts").withName("web").get();
            assertThat(set.getStatus().getCurrentRevision()).isEqualTo(set.getStatus().getUpdateRevision());
            assertThat(set.getStatus().getUpdatedReplicas()).isEqualTo(3);

            String history = kubectl.ok("rollout", "history", "statefulset/web", "-n", "sts");
            assertThat(history).containsPattern("(?m)^1\\s").containsPattern("(?m)^2\\s");
            assertThat(kubectl.ok("rollout", "history", "statefulset/web", "-n", "sts", "--revision=1")).contains("nginx:1");

            assertThat(kubectl.ok("rollout", "undo", "statefulset/web", "-n", "sts")).contains("rolled back");
            assertThat(kubectl.ok("rollout", "status", "statefulset/web", "-n", "sts", "--timeout=90s")).contains("roll out complete: 3 new pods have been updated");
            await(() -> images().equals(Map.of("web-0", "nginx:1", "web-1", "nginx:1", "web-2", "nginx:1")));
            assertThat(kubectl.ok("rollout", "history", "statefulset/web", "-n", "sts")).containsPattern("(?m)^3\\s");

            kubectl.ok("scale", "statefulset/web", "--replicas=1", "-n", "sts");
            await(() -> images().keySet().equals(java.util.Set.of("web-0")));
            assertThat(kubectl.ok("get", "pvc", "-n", "sts", "-o", "name").lines().count()).isEqualTo(3);
            assertThat(kubectl.ok("describe", "statefulset", "web", "-n", "sts")).contains("delete Pod web-2 in StatefulSet web successful");
        } finally {
            observer.interrupt();
        }
    }
}
