package io.kube4j.controller.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.kube4j.testcluster.LocalCluster;
import io.kube4j.testsupport.Kubectl;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import static io.kube4j.controller.e2e.ControllerServiceTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jobs on the real stack (etcd, Kafka, relay, gateway) with the controller service in this JVM,
 * driven by the real kubectl: create, wait for complete, retries with backoff up to the limit,
 * the active deadline, Indexed completion and the TTL after finishing. Pods run, succeed and fail
 * when the test says so ({@link PodOutcomes}).
 */
@ExtendWith(SharedControlPlane.Extension.class)
class JobEndToEndTest {

    static LocalCluster cluster;

    @BeforeAll
    static void start(SharedControlPlane plane) {
        cluster = plane.cluster();
    }

    List<Pod> pods(String namespace) {
        return cluster.client().pods().inNamespace(namespace).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .sorted(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp())).toList();
    }

    Job job(String namespace, String name) {
        return cluster.client().batch().v1().jobs().inNamespace(namespace).withName(name).get();
    }

    @Test
    void kubectlCreateJobRunsItsPodAndWaitsForComplete() throws Exception {
        Kubectl kubectl = cluster.kubectl();
        kubectl.ok("create", "namespace", "batch-ok");
        try (var outcomes = new PodOutcomes(cluster.client(), "batch-ok", p -> "Succeeded")) {
            assertThat(kubectl.ok("create", "job", "pi", "--image=busybox", "-n", "batch-ok", "--", "sh", "-c", "true"))
                    .contains("job.batch/pi created");
            assertThat(kubectl.ok("wait", "--for=condition=complete", "job/pi", "-n", "batch-ok", "--timeout=60s"))
                    .contains("job.batch/pi condition met");
            assertThat(kubectl.ok("get", "job", "pi", "-n", "batch-ok")).containsPattern("pi\\s+Complete\\s+1/1");
            Job job = job("batch-ok", "pi");
            assertThat(job.getStatus().getSucceeded()).isEqualTo(1);
            assertThat(job.getStatus().getStartTime()).isNotNull();
            assertThat(job.getStatus().getCompletionTime()).isNotNull();
            List<Pod> pods = pods("batch-ok");
            assertThat(pods).hasSize(1);
            assertThat(pods.getFirst().getMetadata().getName()).matches("pi-[a-z0-9]{5}");
            assertThat(pods.getFirst().getMetadata().getLabels()).containsEntry("batch.kubernetes.io/job-name", "pi");
            await(() -> kubectl.ok("describe", "job", "pi", "-n", "batch-ok").contains("Job completed"));
            assertThat(kubectl.ok("describe", "job", "pi", "-n", "batch-ok")).contains("SuccessfulCreate").contains("Created pod: pi-");
        }
    }

    @Test
    void failedPodsAreReplacedAfterABackoffUntilTheLimit() throws Exception {
        Kubectl kubectl = cluster.kubectl();
        kubectl.ok("create", "namespace", "batch-fail");
        try (var outcomes = new PodOutcomes(cluster.client(), "batch-fail", p -> "Failed")) {
            kubectl.runWithInput("""
                    apiVersion: batch/v1
                    kind: Job
                    metadata: {name: flaky, namespace: batch-fail}
                    spec:
                      backoffLimit: 1
                      template:
                        spec:
                          restartPolicy: Never
                          containers:
                          - {name: c, image: busybox, command: [sh, -c, "exit 1"]}
                    """, "apply", "-f", "-");
            assertThat(kubectl.ok("wait", "--for=condition=failed", "job/flaky", "-n", "batch-fail", "--timeout=90s"))
                    .contains("condition met");
            Job job = job("batch-fail", "flaky");
            assertThat(job.getStatus().getFailed()).isEqualTo(2);
            var failed = job.getStatus().getConditions().stream().filter(c -> c.getType().equals("Failed")).findFirst().orElseThrow();
            assertThat(failed.getReason()).isEqualTo("BackoffLimitExceeded");
            List<Pod> pods = pods("batch-fail");
            assertThat(pods).hasSize(2).allMatch(p -> p.getStatus().getPhase().equals("Failed"));
            // The replacement waited the first failure's 10 s backoff.
            Instant first = Instant.parse(pods.get(0).getMetadata().getCreationTimestamp());
            Instant second = Instant.parse(pods.get(1).getMetadata().getCreationTimestamp());
            assertThat(Duration.between(first, second)).isGreaterThanOrEqualTo(Duration.ofSeconds(9));
            await(() -> kubectl.ok("describe", "job", "flaky", "-n", "batch-fail").contains("Job has reached the specified backoff limit"));
        }
    }

    @Test
    void aJobPastItsActiveDeadlineFailsAndItsPodsGo() throws Exception {
        Kubectl kubectl = cluster.kubectl();
        kubectl.ok("create", "namespace", "batch-deadline");
        try (var outcomes = new PodOutcomes(cluster.client(), "batch-deadline", p -> "Running")) {
            kubectl.runWithInput("""
                    apiVersion: batch/v1
                    kind: Job
                    metadata: {name: slow, namespace: batch-deadline}
                    spec:
                      activeDeadlineSeconds: 4
                      parallelism: 2
                      completions: 4
                      template:
                        spec:
                          restartPolicy: OnFailure
                          containers:
                          - {name: c, image: busybox, command: [sleep, "3600"]}
                    """, "apply", "-f", "-");
            await(() -> pods("batch-deadline").size() == 2);
            assertThat(kubectl.ok("wait", "--for=condition=failed", "job/slow", "-n", "batch-deadline", "--timeout=60s"))
                    .contains("condition met");
            var failed = job("batch-deadline", "slow").getStatus().getConditions().stream()
                    .filter(c -> c.getType().equals("Failed")).findFirst().orElseThrow();
            assertThat(failed.getReason()).isEqualTo("DeadlineExceeded");
            assertThat(failed.getMessage()).isEqualTo("Job was active longer than specified deadline");
            await(() -> pods("batch-deadline").isEmpty());
            assertThat(job("batch-deadline", "slow").getStatus().getActive()).isZero();
        }
    }

    @Test
    void anIndexedJobRunsEachIndexOnceAndAFinishedJobGoesAfterItsTtl() throws Exception {
        Kubectl kubectl = cluster.kubectl();
        kubectl.ok("create", "namespace", "batch-indexed");
        try (var outcomes = new PodOutcomes(cluster.client(), "batch-indexed", p -> "Succeeded")) {
            kubectl.runWithInput("""
                    apiVersion: batch/v1
                    kind: Job
                    metadata: {name: shards, namespace: batch-indexed}
                    spec:
                      completionMode: Indexed
                      completions: 3
                      parallelism: 3
                      ttlSecondsAfterFinished: 3
                      template:
                        spec:
                          restartPolicy: Never
                          containers:
                          - {name: c, image: busybox, command: [sh, -c, "echo $JOB_COMPLETION_INDEX"]}
                    """, "apply", "-f", "-");
            assertThat(kubectl.ok("wait", "--for=condition=complete", "job/shards", "-n", "batch-indexed", "--timeout=60s"))
                    .contains("condition met");
            assertThat(job("batch-indexed", "shards").getStatus().getCompletedIndexes()).isEqualTo("0-2");
            assertThat(pods("batch-indexed")).extracting(p -> p.getMetadata().getAnnotations().get("batch.kubernetes.io/job-completion-index"))
                    .containsExactlyInAnyOrder("0", "1", "2");
            assertThat(pods("batch-indexed")).extracting(p -> p.getSpec().getHostname())
                    .containsExactlyInAnyOrder("shards-0", "shards-1", "shards-2");
            // ttlSecondsAfterFinished: the Job and (through the garbage collector) its pods go.
            await(() -> job("batch-indexed", "shards") == null);
            await(() -> pods("batch-indexed").isEmpty());
        }
    }
}
