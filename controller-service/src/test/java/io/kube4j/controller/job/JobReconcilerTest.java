package io.kube4j.controller.job;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.kube4j.controller.pods.Expectations;
import io.kube4j.controller.pods.Owners;
import io.kube4j.machinery.client.FakeObjectClient;
import io.kube4j.machinery.controller.Result;
import io.kube4j.machinery.events.RecordingEventRecorder;
import io.kube4j.machinery.informer.IndexedCache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class JobReconcilerTest {

    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    final IndexedCache<Job> jobs = new IndexedCache<>();
    final IndexedCache<Pod> pods = new IndexedCache<>();
    final FakeObjectClient fake = new FakeObjectClient();
    final RecordingEventRecorder events = new RecordingEventRecorder();
    final Expectations expectations = new Expectations(CLOCK, Duration.ofMinutes(5));
    final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void close() {
        executor.shutdownNow();
    }

    JobReconciler reconciler() {
        return new JobReconciler(jobs, pods, fake, events, expectations, executor, CLOCK);
    }

    /**
     * A Job from {@code key=value} settings separated by spaces: completions, parallelism, backoffLimit,
     * deadline (activeDeadlineSeconds), started (seconds ago), restart (Never/OnFailure), mode, suspend,
     * ttl, finished (seconds ago, a Complete condition).
     */
    Job job(String settings) {
        var map = java.util.Arrays.stream(settings.split(" ")).filter(s -> !s.isBlank()).map(s -> s.split("="))
                .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
        var b = new JobBuilder().withNewMetadata().withNamespace("default").withName("pi").endMetadata()
                .withNewSpec()
                .withCompletions(map.getOrDefault("completions", "1").equals("nil") ? null : Integer.valueOf(map.getOrDefault("completions", "1")))
                .withParallelism(Integer.valueOf(map.getOrDefault("parallelism", "1")))
                .withBackoffLimit(Integer.valueOf(map.getOrDefault("backoffLimit", "6")))
                .withCompletionMode(map.getOrDefault("mode", "NonIndexed"))
                .withSuspend(Boolean.valueOf(map.getOrDefault("suspend", "false")))
                .withNewSelector().addToMatchLabels("job", "pi").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("job", "pi").endMetadata()
                .withNewSpec().withRestartPolicy(map.getOrDefault("restart", "Never"))
                .addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().endTemplate()
                .endSpec();
        if (map.containsKey("deadline")) b.editSpec().withActiveDeadlineSeconds(Long.valueOf(map.get("deadline"))).endSpec();
        if (map.containsKey("ttl")) b.editSpec().withTtlSecondsAfterFinished(Integer.valueOf(map.get("ttl"))).endSpec();
        if (map.containsKey("started")) b.withNewStatus().withStartTime(ago(map.get("started"))).endStatus();
        if (map.containsKey("finished")) {
            b.editOrNewStatus().addNewCondition().withType("Complete").withStatus("True")
                    .withLastTransitionTime(ago(map.get("finished"))).endCondition().endStatus();
        }
        if (map.containsKey("suspendedSince")) {
            b.editOrNewStatus().addNewCondition().withType("Suspended").withStatus("True").withReason("JobSuspended")
                    .withLastTransitionTime(ago(map.get("suspendedSince"))).endCondition().endStatus();
        }
        Job job = fake.seed(b.build());
        job.setApiVersion("batch/v1");
        job.setKind("Job");
        jobs.put(job);
        return job;
    }

    static String ago(String seconds) {
        return NOW.minusSeconds(Long.parseLong(seconds)).toString();
    }

    /** A pod {@code name:phase:ready:restarts:finishedSecondsAgo:index}, {@code -} for none. */
    void pod(Job job, String description) {
        String[] f = description.split(":");
        var b = new PodBuilder().withNewMetadata().withNamespace("default").withName(f[0])
                .withCreationTimestamp(NOW.minusSeconds(600).toString())
                .addToLabels("job", "pi").withOwnerReferences(Owners.controllerRef(job)).endMetadata()
                .withNewSpec().withNodeName("n1").addNewContainer().withName("c").withImage("busybox").endContainer().endSpec()
                .withNewStatus().withPhase(f[1]).endStatus();
        if (!f[2].equals("-")) b.editStatus().addNewCondition().withType("Ready").withStatus("True").withLastTransitionTime(ago("60")).endCondition().endStatus();
        var container = new io.fabric8.kubernetes.api.model.ContainerStatusBuilder().withName("c")
                .withRestartCount(f[3].equals("-") ? 0 : Integer.parseInt(f[3]));
        if (!f[4].equals("-")) container.withNewState().withNewTerminated().withExitCode(f[1].equals("Failed") ? 1 : 0).withFinishedAt(ago(f[4])).endTerminated().endState();
        b.editStatus().withContainerStatuses(container.build()).endStatus();
        if (!f[5].equals("-")) b.editMetadata().addToAnnotations(CompletionIndexes.ANNOTATION, f[5]).endMetadata();
        pods.put(fake.seed(b.build()));
    }

    Job stored() {
        return fake.get(Job.class, "default", "pi").orElseThrow();
    }

    List<String> podNames() {
        return fake.list(Pod.class).stream().map(p -> p.getMetadata().getName()).toList();
    }

    String conditions(Job job) {
        if (job.getStatus().getConditions() == null) return "-";
        return job.getStatus().getConditions().stream().filter(c -> c.getStatus().equals("True"))
                .map(c -> c.getType() + (c.getReason() == null ? "" : "/" + c.getReason())).collect(Collectors.collectingAndThen(
                        Collectors.joining(","), joined -> joined.isEmpty() ? "-" : joined));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "", value = {
            // name | job | pods (;-separated) | pods afterwards | active/ready/succeeded/failed | true conditions | requeue (s)
            "starts parallelism pods | completions=5 parallelism=2 | | pi-00001,pi-00002 | 2/0/0/0 | - | ",
            "never more than the completions left | completions=3 parallelism=3 | a:Succeeded:-:-:30:-;b:Succeeded:-:-:20:- | a,b,pi-00001 | 1/0/2/0 | - | ",
            "counts ready pods and waits | completions=2 parallelism=2 | a:Running:r:-:-:-;b:Running:-:-:-:- | a,b | 2/1/0/0 | - | ",
            "completes when enough pods succeeded | completions=2 parallelism=2 | a:Succeeded:-:-:30:-;b:Succeeded:-:-:20:- | a,b | 0/0/2/0 | SuccessCriteriaMet/CompletionsReached,Complete/CompletionsReached | ",
            "a work queue completes when one succeeded and none runs | completions=nil parallelism=2 | a:Succeeded:-:-:30:-;b:Failed:-:-:20:- | a,b | 0/0/1/1 | SuccessCriteriaMet/CompletionsReached,Complete/CompletionsReached | ",
            "a work queue adds no pod after a success | completions=nil parallelism=3 | a:Succeeded:-:-:30:-;b:Running:-:-:-:- | a,b | 1/0/1/0 | - | ",
            "replaces a failed pod after the backoff | completions=1 | a:Failed:-:-:11:- | a,pi-00001 | 1/0/0/1 | - | ",
            "waits out the backoff of the first failure | completions=1 | a:Failed:-:-:4:- | a | 0/0/0/1 | - | 6",
            "doubles the backoff per failure since the last success | completions=3 | s:Succeeded:-:-:100:-;a:Failed:-:-:90:-;b:Failed:-:-:30:-;c:Failed:-:-:10:- | s,a,b,c | 0/0/1/3 | - | 30",
            "fails past backoffLimit with restartPolicy Never | completions=2 parallelism=2 backoffLimit=1 | a:Failed:-:-:30:-;b:Failed:-:-:20:-;c:Running:-:-:-:- | a,b | 0/0/0/3 | FailureTarget/BackoffLimitExceeded,Failed/BackoffLimitExceeded | ",
            "fails on container restarts with restartPolicy OnFailure | restart=OnFailure backoffLimit=2 | a:Running:-:2:-:- | | 0/0/0/1 | FailureTarget/BackoffLimitExceeded,Failed/BackoffLimitExceeded | ",
            "restarts below the limit keep it running | restart=OnFailure backoffLimit=3 | a:Running:-:2:-:- | a | 1/0/0/0 | - | ",
            "fails past activeDeadlineSeconds, deleting its pods | completions=2 parallelism=2 deadline=30 started=31 | a:Running:r:-:-:-;b:Running:-:-:-:- | | 0/0/0/2 | FailureTarget/DeadlineExceeded,Failed/DeadlineExceeded | ",
            "waits for its deadline | deadline=30 started=10 | a:Running:r:-:-:- | a | 1/1/0/0 | - | 20",
            "deletes pods beyond a lowered parallelism | completions=5 parallelism=1 | a:Running:r:-:-:-;b:Pending:-:-:-:-;c:Running:-:-:-:- | a | 1/1/0/0 | - | ",
            "a suspended Job deletes its pods | completions=2 parallelism=2 suspend=true | a:Running:r:-:-:-;b:Running:-:-:-:- | | 0/0/0/0 | Suspended/JobSuspended | ",
            "a resumed Job starts pods again | suspend=false suspendedSince=100 | | pi-00001 | 1/0/0/0 | - | ",
            "indexed: runs the indexes not done | mode=Indexed completions=3 parallelism=3 | a:Succeeded:-:-:30:1 | a,pi-0-00001,pi-2-00002 | 2/0/1/0 | - | ",
            "indexed: completes when every index succeeded | mode=Indexed completions=2 parallelism=2 | a:Succeeded:-:-:30:1;b:Succeeded:-:-:20:0 | a,b | 0/0/2/0 | SuccessCriteriaMet/CompletionsReached,Complete/CompletionsReached | ",
            "indexed: a second pod of a done index goes first | mode=Indexed completions=2 parallelism=1 | a:Succeeded:-:-:30:0;b:Running:-:-:-:0 | a | 0/0/1/0 | - | ",
    })
    void reconcilesPodsAndStatus(String name, String settings, String podList, String remaining, String counts,
                                 String conditions, Integer requeueSeconds) throws Exception {
        Job job = job(settings);
        if (podList != null) for (String p : podList.split(";")) pod(job, p);

        Result result = reconciler().reconcile("default/pi");
        assertThat(podNames()).containsExactlyInAnyOrderElementsOf(remaining == null ? List.of() : List.of(remaining.split(",")));
        Job stored = stored();
        var s = stored.getStatus();
        assertThat(s.getActive() + "/" + s.getReady() + "/" + s.getSucceeded() + "/" + s.getFailed()).isEqualTo(counts);
        assertThat(conditions(stored)).isEqualTo(conditions);
        if (requeueSeconds == null) {
            assertThat(result.requeueAfter()).isNull();
        } else {
            assertThat(result.requeueAfter()).isEqualTo(Duration.ofSeconds(requeueSeconds));
        }
    }

    @Test
    void indexedPodsCarryTheirIndexInAnnotationLabelEnvAndHostname() throws Exception {
        job("mode=Indexed completions=2 parallelism=2");
        reconciler().reconcile("default/pi");
        Pod pod = fake.get(Pod.class, "default", "pi-1-00002").or(() -> fake.get(Pod.class, "default", "pi-1-00001")).orElseThrow();
        assertThat(pod.getMetadata().getAnnotations()).containsEntry(CompletionIndexes.ANNOTATION, "1");
        assertThat(pod.getMetadata().getLabels()).containsEntry(CompletionIndexes.ANNOTATION, "1").containsEntry("job", "pi");
        assertThat(pod.getSpec().getHostname()).isEqualTo("pi-1");
        var env = pod.getSpec().getContainers().getFirst().getEnv().getFirst();
        assertThat(env.getName()).isEqualTo("JOB_COMPLETION_INDEX");
        assertThat(env.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.annotations['batch.kubernetes.io/job-completion-index']");
        assertThat(pod.getMetadata().getOwnerReferences().getFirst().getController()).isTrue();
    }

    @Test
    void completionRecordsTimeEventAndCompletedIndexes() throws Exception {
        Job job = job("mode=Indexed completions=3 parallelism=3");
        pod(job, "a:Succeeded:-:-:30:0");
        pod(job, "b:Succeeded:-:-:30:1");
        pod(job, "c:Succeeded:-:-:30:2");
        reconciler().reconcile("default/pi");
        Job stored = stored();
        assertThat(stored.getStatus().getCompletedIndexes()).isEqualTo("0-2");
        assertThat(stored.getStatus().getCompletionTime()).isEqualTo(NOW.toString());
        assertThat(stored.getStatus().getStartTime()).isEqualTo(NOW.toString());
        assertThat(events.events()).contains("Normal Completed default/pi: Job completed");
    }

    @Test
    void aFailureIsAWarningEventWithKubesMessage() throws Exception {
        Job job = job("backoffLimit=0");
        pod(job, "a:Failed:-:-:30:-");
        reconciler().reconcile("default/pi");
        assertThat(events.events()).contains("Warning BackoffLimitExceeded default/pi: Job has reached the specified backoff limit");
        JobCondition failed = stored().getStatus().getConditions().stream().filter(c -> c.getType().equals("Failed")).findFirst().orElseThrow();
        assertThat(failed.getMessage()).isEqualTo("Job has reached the specified backoff limit");
    }

    @ParameterizedTest(name = "finished {0}s ago with ttl {1}: deleted={2}")
    @CsvSource({"100, 60, true, ", "30, 60, false, 30", "0, 0, true, "})
    void aFinishedJobIsDeletedAfterItsTtl(int finishedAgo, int ttl, boolean deleted, Integer requeue) throws Exception {
        job("ttl=" + ttl + " finished=" + finishedAgo);
        Result result = reconciler().reconcile("default/pi");
        assertThat(fake.get(Job.class, "default", "pi").isEmpty()).isEqualTo(deleted);
        if (requeue != null) assertThat(result.requeueAfter()).isEqualTo(Duration.ofSeconds(requeue));
    }

    @Test
    void aFinishedJobWithoutTtlStaysAndWritesNothing() throws Exception {
        job("finished=100");
        fake.clearActions();
        assertThat(reconciler().reconcile("default/pi")).isEqualTo(Result.DONE);
        assertThat(fake.actions()).isEmpty();
    }

    @Test
    void aSecondPassChangesNothing() throws Exception {
        job("completions=3 parallelism=2");
        reconciler().reconcile("default/pi");
        fake.list(Pod.class).forEach(pods::put);
        jobs.put(stored());
        fake.clearActions();
        reconciler().reconcile("default/pi");
        assertThat(fake.actions()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "1, 10", "2, 20", "3, 40", "6, 320", "7, 360", "40, 360"})
    void backoffDoublesFromTenSecondsToSixMinutes(int failures, int seconds) {
        assertThat(Backoff.delay(failures)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"0,1,2,5,7,8 | 0-2,5,7-8", "3 | 3", "1,2 | 1-2", "'' | ''"})
    void completedIndexesInIntervalForm(String indexes, String text) {
        java.util.BitSet bits = new java.util.BitSet();
        if (!indexes.isEmpty()) for (String i : indexes.split(",")) bits.set(Integer.parseInt(i));
        assertThat(CompletionIndexes.format(bits)).isEqualTo(text);
        assertThat(CompletionIndexes.parse(text, 100)).isEqualTo(bits);
    }
}
