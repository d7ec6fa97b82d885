package io.kube4j.controller.cronjob;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.kube4j.controller.pods.Owners;
import io.kube4j.machinery.client.FakeObjectClient;
import io.kube4j.machinery.controller.Result;
import io.kube4j.machinery.events.RecordingEventRecorder;
import io.kube4j.machinery.informer.IndexedCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class CronJobReconcilerTest {

    static final Instant NOW = Instant.parse("2026-01-01T12:00:30Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    /** Minutes since the epoch of 12:00 and 11:59 on NOW's day: the suffixes of those runs' Job names. */
    static final long NOON = Instant.parse("2026-01-01T12:00:00Z").getEpochSecond() / 60;

    final IndexedCache<CronJob> cronJobs = new IndexedCache<>();
    final IndexedCache<Job> jobs = new IndexedCache<>();
    final FakeObjectClient fake = new FakeObjectClient();
    final RecordingEventRecorder events = new RecordingEventRecorder();

    CronJobReconciler reconciler() {
        return new CronJobReconciler(cronJobs, jobs, fake, events, CLOCK);
    }

    /** A CronJob from {@code key=value} settings: schedule (with _ for spaces), tz, policy, deadline, suspend, created/last (minutes ago), success/failed limits. */
    CronJob cronJob(String settings) {
        Map<String, String> s = Arrays.stream(settings.split(" ")).filter(x -> !x.isBlank()).map(x -> x.split("=", 2))
                .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
        var b = new CronJobBuilder().withNewMetadata().withNamespace("default").withName("tick")
                .withCreationTimestamp(NOW.minus(Duration.ofMinutes(Long.parseLong(s.getOrDefault("created", "3")))).toString()).endMetadata()
                .withNewSpec().withSchedule(s.getOrDefault("schedule", "*_*_*_*_*").replace('_', ' '))
                .withTimeZone(s.get("tz"))
                .withConcurrencyPolicy(s.getOrDefault("policy", "Allow"))
                .withSuspend(Boolean.parseBoolean(s.getOrDefault("suspend", "false")))
                .withSuccessfulJobsHistoryLimit(Integer.parseInt(s.getOrDefault("success", "3")))
                .withFailedJobsHistoryLimit(Integer.parseInt(s.getOrDefault("failed", "1")))
                .withNewJobTemplate().withNewMetadata().addToLabels("team", "a").endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().endTemplate().endSpec()
                .endJobTemplate().endSpec();
        if (s.containsKey("deadline")) b.editSpec().withStartingDeadlineSeconds(Long.parseLong(s.get("deadline"))).endSpec();
        if (s.containsKey("last")) b.withNewStatus().withLastScheduleTime(NOW.minus(Duration.ofMinutes(Long.parseLong(s.get("last")))).truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString()).endStatus();
        CronJob cj = fake.seed(b.build());
        cj.setApiVersion("batch/v1");
        cj.setKind("CronJob");
        cronJobs.put(cj);
        return cj;
    }

    /** A Job of the CronJob {@code name:state:startedMinutesAgo}, state running/complete/failed; listed in status.active when running. */
    Job job(CronJob cj, String description) {
        String[] f = description.split(":");
        Instant started = NOW.minus(Duration.ofMinutes(Long.parseLong(f[2])));
        var b = new JobBuilder().withNewMetadata().withNamespace("default").withName(f[0])
                .withCreationTimestamp(started.toString()).withOwnerReferences(Owners.controllerRef(cj)).endMetadata()
                .withNewSpec().endSpec().withNewStatus().withStartTime(started.toString()).endStatus();
        if (!f[1].equals("running")) {
            String type = f[1].equals("complete") ? "Complete" : "Failed";
            b.editStatus().addNewCondition().withType(type).withStatus("True").endCondition()
                    .withCompletionTime(type.equals("Complete") ? started.plusSeconds(20).toString() : null).endStatus();
        }
        Job job = fake.seed(b.build());
        jobs.put(job);
        if (f[1].equals("running") || f.length > 3) {
            CronJob current = fake.get(CronJob.class, "default", "tick").orElseThrow();
            current.setApiVersion("batch/v1");
            current.setKind("CronJob");
            if (current.getStatus() == null) current.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus());
            var active = new java.util.ArrayList<>(current.getStatus().getActive() == null ? List.of() : current.getStatus().getActive());
            active.add(CronJobReconciler.reference(job));
            current.getStatus().setActive(active);
            cronJobs.put(fake.updateStatus(current));
        }
        return job;
    }

    List<String> jobNames() {
        return fake.list(Job.class).stream().map(j -> j.getMetadata().getName()).sorted().toList();
    }

    CronJob stored() {
        return fake.get(CronJob.class, "default", "tick").orElseThrow();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "", value = {
            // name | cronjob | jobs (;-separated; a 4th field lists a finished Job as still active) | jobs afterwards (N = the noon run) | active | event reasons
            "starts the run that is due | created=3 | | N | N | SuccessfulCreate",
            "leaves a run already made alone | last=0 | | | | ",
            "makes at most one run for several missed ones | created=5 | | N | N | SuccessfulCreate",
            "Allow runs beside a running Job | last=1 | old:running:1 | N,old | N,old | SuccessfulCreate",
            "Forbid skips while one runs | last=1 policy=Forbid | old:running:1 | old | old | JobAlreadyActive",
            "Replace deletes the running Job first | last=1 policy=Replace | old:running:1 | N | N | SuccessfulDelete,SuccessfulCreate",
            "a run past startingDeadlineSeconds is missed | last=2 deadline=10 schedule=0_*_*_*_* | | | | ",
            "a run within startingDeadlineSeconds starts | last=2 deadline=60 | | N | N | SuccessfulCreate",
            "a suspended CronJob starts nothing | suspend=true | | | | ",
            "a finished active Job leaves the active list | last=0 | old:complete:1:active | old | | SawCompletedJob",
            "a Job that did not come from the schedule is reported | last=0 | manual:running:1 | manual,manual | manual | ",
            "too many missed runs: a warning and one run | last=14400 | | N | N | TooManyMissedTimes,SuccessfulCreate",
            "deletes succeeded Jobs beyond the history limit | last=0 success=2 | a:complete:50;b:complete:40;c:complete:30;d:complete:20 | c,d | | SuccessfulDelete,SuccessfulDelete",
            "deletes failed Jobs beyond the history limit | last=0 failed=1 | a:failed:50;b:failed:40;c:complete:30 | b,c | | SuccessfulDelete",
    })
    void reconciles(String name, String settings, String jobList, String jobsAfter, String activeAfter, String reasons) {
        CronJob cj = cronJob(settings);
        if (jobList != null) for (String j : jobList.split(";")) job(cj, j);
        events.clear();

        reconciler().reconcile("default/tick");

        String noon = "tick-" + NOON;
        assertThat(jobNames()).isEqualTo(jobsAfter == null ? List.of()
                : Arrays.stream(jobsAfter.split(",")).map(n -> n.equals("N") ? noon : n).distinct().sorted().toList());
        CronJob stored = stored();
        List<String> active = stored.getStatus() == null || stored.getStatus().getActive() == null ? List.of()
                : stored.getStatus().getActive().stream().map(r -> r.getName()).sorted().toList();
        assertThat(active).isEqualTo(activeAfter == null ? List.of()
                : Arrays.stream(activeAfter.split(",")).map(n -> n.equals("N") ? noon : n).sorted().toList());
        List<String> expectedReasons = reasons == null ? List.of() : List.of(reasons.split(","));
        assertThat(events.events().stream().map(e -> e.split(" ")[1]).filter(r -> !r.equals("UnexpectedJob")).toList())
                .isEqualTo(expectedReasons);
    }

    @Test
    void aNewRunRecordsItsTimeAndWakesAtTheNext() {
        cronJob("created=3");
        Result result = reconciler().reconcile("default/tick");
        assertThat(stored().getStatus().getLastScheduleTime()).isEqualTo("2026-01-01T12:00:00Z");
        assertThat(result.requeueAfter()).isEqualTo(Duration.ofMillis(30_100));
        Job job = fake.get(Job.class, "default", "tick-" + NOON).orElseThrow();
        assertThat(job.getMetadata().getLabels()).containsEntry("team", "a");
        assertThat(job.getMetadata().getAnnotations()).containsEntry(CronJobReconciler.SCHEDULED_TIMESTAMP, "2026-01-01T12:00:00Z");
        assertThat(job.getMetadata().getOwnerReferences().getFirst().getKind()).isEqualTo("CronJob");
        assertThat(job.getMetadata().getOwnerReferences().getFirst().getController()).isTrue();
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage()).isEqualTo("busybox");
        assertThat(events.events()).contains("Normal SuccessfulCreate default/tick: Created job tick-" + NOON);
    }

    @Test
    void aSecondPassMakesNoSecondJob() {
        cronJob("created=3");
        reconciler().reconcile("default/tick");
        fake.list(Job.class).forEach(jobs::put);
        CronJob cj = stored();
        cj.setKind("CronJob");
        cj.setApiVersion("batch/v1");
        cronJobs.put(cj);
        fake.clearActions();
        reconciler().reconcile("default/tick");
        assertThat(fake.actions()).isEmpty();
    }

    @Test
    void theScheduleIsReadInItsTimeZone() {
        // 07:00 in Tokyo is 22:00 UTC the day before.
        cronJob("schedule=0_7_*_*_* tz=Asia/Tokyo created=1000");
        reconciler().reconcile("default/tick");
        Instant run = Instant.parse("2025-12-31T22:00:00Z");
        Job job = fake.get(Job.class, "default", "tick-" + run.getEpochSecond() / 60).orElseThrow();
        assertThat(job.getMetadata().getAnnotations()).containsEntry(CronJobReconciler.SCHEDULED_TIMESTAMP, "2026-01-01T07:00:00+09:00");
        assertThat(stored().getStatus().getLastScheduleTime()).isEqualTo(run.toString());
    }

    @Test
    void aSucceededJobSetsLastSuccessfulTime() {
        CronJob cj = cronJob("last=0");
        job(cj, "old:complete:5:active");
        reconciler().reconcile("default/tick");
        assertThat(stored().getStatus().getLastSuccessfulTime()).isEqualTo(NOW.minus(Duration.ofMinutes(5)).plusSeconds(20).toString());
        assertThat(events.events()).anyMatch(e -> e.contains("Saw completed job: old, status: Complete"));
    }

    @ParameterizedTest(name = "{0} missed between {1} and {2}")
    @CsvSource({
            "'* * * * *', 2026-01-01T11:57:30Z, 2026-01-01T12:00:30Z, 3, 2026-01-01T12:00:00Z",
            "'@hourly', 2026-01-01T11:00:00Z, 2026-01-01T12:00:30Z, 1, 2026-01-01T12:00:00Z",
            "'@hourly', 2026-01-01T12:00:00Z, 2026-01-01T12:59:59Z, 0, ",
            "'* * * * *', 2025-12-01T00:00:00Z, 2026-01-01T12:00:30Z, 101, 2026-01-01T12:00:00Z",
            "'0 0 1 1 *', 2020-06-01T00:00:00Z, 2026-01-01T12:00:30Z, 6, 2026-01-01T00:00:00Z",
    })
    void missedStartTimes(String schedule, Instant earliest, Instant now, int count, Instant mostRecent) {
        Schedules.Missed missed = Schedules.of(schedule, null).missed(earliest, now);
        assertThat(missed.count()).isEqualTo(count);
        assertThat(missed.mostRecent()).isEqualTo(mostRecent);
    }
}
