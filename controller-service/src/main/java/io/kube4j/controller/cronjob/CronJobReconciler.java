package io.kube4j.controller.cronjob;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.kube4j.controller.job.JobReconciler;
import io.kube4j.controller.pods.Copies;
import io.kube4j.controller.pods.Owners;
import io.kube4j.controller.pods.Times;
import io.kube4j.machinery.client.ObjectClient;
import io.kube4j.machinery.controller.Reconciler;
import io.kube4j.machinery.controller.Result;
import io.kube4j.machinery.events.EventRecorder;
import io.kube4j.machinery.informer.Cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Starts a CronJob's Jobs on its schedule with kube-controller-manager's (v2) semantics: track
 * its Jobs in {@code status.active} (dropping finished and vanished ones, noting
 * lastSuccessfulTime), delete finished Jobs beyond the history limits, then — unless suspended —
 * find the most recent start time missed since lastScheduleTime (or creation, or
 * startingDeadlineSeconds ago; too many missed → a warning, still one run), skip it when past the
 * starting deadline, honour concurrencyPolicy Forbid (skip) and Replace (delete the running ones),
 * and create the Job {@code {cronjob}-{scheduled time in minutes}} from the jobTemplate. Asks to
 * be woken just after the next start time.
 *
 * <p>Keys are {@code namespace/name}; idempotent (the Job name is deterministic, so a repeated
 * pass finds the Job instead of making a second); one key is never reconciled by two threads.
 */
public final class CronJobReconciler implements Reconciler {

    /** The annotation with the scheduled time a Job was made for (RFC 3339 in the CronJob's zone). */
    public static final String SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp";
    /** kube wakes a little after the start time, so that the clock has surely passed it. */
    static final Duration WAKE_SLACK = Duration.ofMillis(100);

    private final Cache<CronJob> cronJobs;
    private final Cache<Job> jobs;
    private final ObjectClient objects;
    private final EventRecorder events;
    private final Clock clock;

    public CronJobReconciler(Cache<CronJob> cronJobs, Cache<Job> jobs, ObjectClient objects, EventRecorder events, Clock clock) {
        this.cronJobs = cronJobs;
        this.jobs = jobs;
        this.objects = objects;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public Result reconcile(String key) {
        CronJob cj = cronJobs.get(key).orElse(null);
        if (cj == null) return Result.DONE;
        Instant now = clock.instant();
        String namespace = cj.getMetadata().getNamespace();
        CronJobStatus status = cj.getStatus() == null ? new CronJobStatus() : Copies.deep(cj.getStatus());
        List<ObjectReference> active = new ArrayList<>(status.getActive() == null ? List.of() : status.getActive());
        List<Job> owned = jobs.list(namespace).stream().filter(j -> Owners.isControlledBy(j, cj)).toList();

        track(cj, owned, active, status);

        if (cj.getMetadata().getDeletionTimestamp() != null) {
            writeStatus(cj, status, active);
            return Result.DONE;
        }
        cleanHistory(cj, owned);
        if (Boolean.TRUE.equals(cj.getSpec().getSuspend())) {
            writeStatus(cj, status, active);
            return Result.DONE;
        }
        Schedules schedules;
        try {
            schedules = Schedules.of(cj.getSpec().getSchedule(), cj.getSpec().getTimeZone());
        } catch (RuntimeException e) {
            boolean zone = e instanceof java.time.DateTimeException;
            events.event(cj, EventRecorder.WARNING, zone ? "UnknownTimeZone" : "UnparseableSchedule",
                    zone ? "invalid timeZone: " + e.getMessage() : "unparseable schedule: \"" + cj.getSpec().getSchedule() + "\" : " + e.getMessage());
            writeStatus(cj, status, active);
            return Result.DONE;
        }
        Instant nextRun = schedules.next(now);
        Result wake = nextRun == null ? Result.DONE : Result.requeueAfter(Duration.between(now, nextRun).plus(WAKE_SLACK));

        Instant earliest = Times.parse(status.getLastScheduleTime());
        if (earliest == null) earliest = Objects.requireNonNullElse(Times.parse(cj.getMetadata().getCreationTimestamp()), now);
        Long startingDeadline = cj.getSpec().getStartingDeadlineSeconds();
        if (startingDeadline != null && earliest.isBefore(now.minusSeconds(startingDeadline))) earliest = now.minusSeconds(startingDeadline);
        Schedules.Missed missed = schedules.missed(earliest, now);
        if (missed.tooMany()) {
            events.event(cj, EventRecorder.WARNING, "TooManyMissedTimes",
                    "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew");
        }
        Instant scheduled = missed.mostRecent();
        if (scheduled == null) {
            writeStatus(cj, status, active);
            return wake;
        }
        if (startingDeadline != null && scheduled.plusSeconds(startingDeadline).isBefore(now)) {
            events.event(cj, EventRecorder.WARNING, "MissSchedule",
                    "Missed scheduled time to start a job: " + scheduled.atZone(schedules.zone()).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
            writeStatus(cj, status, active);
            return wake;
        }
        String jobName = jobName(cj, scheduled);
        if (active.stream().anyMatch(ref -> jobName.equals(ref.getName()))) {
            writeStatus(cj, status, active);
            return wake;
        }
        String policy = Objects.requireNonNullElse(cj.getSpec().getConcurrencyPolicy(), "Allow");
        if (policy.equals("Forbid") && !active.isEmpty()) {
            // lastScheduleTime stays: the run starts once the running one ends, if still within its deadline.
            events.event(cj, EventRecorder.NORMAL, "JobAlreadyActive",
                    "Not starting job because prior execution is running and concurrency policy is Forbid");
            writeStatus(cj, status, active);
            return wake;
        }
        if (policy.equals("Replace")) {
            for (ObjectReference ref : List.copyOf(active)) {
                objects.delete(Job.class, namespace, ref.getName(), ref.getUid(), "Background");
                events.event(cj, EventRecorder.NORMAL, "SuccessfulDelete", "Deleted job " + ref.getName());
                active.remove(ref);
            }
        }
        Job job = jobFromTemplate(cj, scheduled, schedules);
        Job created;
        try {
            created = objects.create(job);
            events.event(cj, EventRecorder.NORMAL, "SuccessfulCreate", "Created job " + created.getMetadata().getName());
        } catch (RuntimeException e) {
            if (!ObjectClient.isConflict(e)) {
                events.event(cj, EventRecorder.WARNING, "FailedCreate", "Error creating job: " + e.getMessage());
                writeStatus(cj, status, active);
                throw e;
            }
            // Made by an earlier pass whose status write was lost: adopt the run as done.
            created = objects.get(Job.class, namespace, jobName).filter(j -> Owners.isControlledBy(j, cj)).orElse(null);
            if (created == null) {
                writeStatus(cj, status, active);
                throw e;
            }
        }
        if (JobReconciler.finishedCondition(created) == null) active.add(reference(created));
        status.setLastScheduleTime(Times.format(scheduled));
        writeStatus(cj, status, active);
        return wake;
    }

    /** Brings {@code active} up to date with the owned Jobs, and lastSuccessfulTime with the succeeded ones. */
    private void track(CronJob cj, List<Job> owned, List<ObjectReference> active, CronJobStatus status) {
        Set<String> ownedUids = new HashSet<>();
        CronJob fresh = null;
        for (Job job : owned) {
            ownedUids.add(job.getMetadata().getUid());
            JobCondition finished = JobReconciler.finishedCondition(job);
            boolean listed = active.stream().anyMatch(ref -> job.getMetadata().getUid().equals(ref.getUid()));
            if (!listed && finished == null) {
                // The cache may lag behind our own status write: ask the gateway before calling it a stranger.
                if (fresh == null) fresh = objects.get(CronJob.class, cj.getMetadata().getNamespace(), cj.getMetadata().getName()).orElse(cj);
                boolean listedFresh = fresh.getStatus() != null && fresh.getStatus().getActive() != null
                        && fresh.getStatus().getActive().stream().anyMatch(ref -> job.getMetadata().getUid().equals(ref.getUid()));
                if (listedFresh) active.add(reference(job));
                else events.event(cj, EventRecorder.WARNING, "UnexpectedJob", "Saw a job that the controller did not create or forgot: " + job.getMetadata().getName());
            } else if (listed && finished != null) {
                active.removeIf(ref -> job.getMetadata().getUid().equals(ref.getUid()));
                events.event(cj, EventRecorder.NORMAL, "SawCompletedJob", "Saw completed job: " + job.getMetadata().getName() + ", status: " + finished.getType());
            }
            if (finished != null && finished.getType().equals("Complete")) {
                Instant completed = Times.parse(job.getStatus().getCompletionTime());
                Instant last = Times.parse(status.getLastSuccessfulTime());
                if (completed != null && (last == null || completed.isAfter(last))) status.setLastSuccessfulTime(Times.format(completed));
            }
        }
        for (ObjectReference ref : List.copyOf(active)) {
            if (ownedUids.contains(ref.getUid())) continue;
            boolean exists = jobs.get(cj.getMetadata().getNamespace(), ref.getName()).filter(j -> j.getMetadata().getUid().equals(ref.getUid())).isPresent()
                    || objects.get(Job.class, cj.getMetadata().getNamespace(), ref.getName()).filter(j -> j.getMetadata().getUid().equals(ref.getUid())).isPresent();
            if (!exists) {
                active.remove(ref);
                events.event(cj, EventRecorder.NORMAL, "MissingJob", "Active job went missing: " + ref.getName());
            }
        }
    }

    /** Deletes the oldest finished Jobs beyond successfulJobsHistoryLimit and failedJobsHistoryLimit. */
    private void cleanHistory(CronJob cj, List<Job> owned) {
        Integer successLimit = cj.getSpec().getSuccessfulJobsHistoryLimit();
        Integer failedLimit = cj.getSpec().getFailedJobsHistoryLimit();
        List<Job> succeeded = new ArrayList<>(), failed = new ArrayList<>();
        for (Job job : owned) {
            JobCondition finished = JobReconciler.finishedCondition(job);
            if (finished == null || job.getMetadata().getDeletionTimestamp() != null) continue;
            (finished.getType().equals("Complete") ? succeeded : failed).add(job);
        }
        if (successLimit != null) deleteOldest(cj, succeeded, successLimit);
        if (failedLimit != null) deleteOldest(cj, failed, failedLimit);
    }

    private void deleteOldest(CronJob cj, List<Job> finished, int keep) {
        if (finished.size() <= keep) return;
        finished.sort(Comparator.comparing((Job j) -> startOf(j)).thenComparing(j -> j.getMetadata().getName()));
        for (Job job : finished.subList(0, finished.size() - keep)) {
            objects.delete(Job.class, job.getMetadata().getNamespace(), job.getMetadata().getName(), job.getMetadata().getUid(), "Background");
            events.event(cj, EventRecorder.NORMAL, "SuccessfulDelete", "Deleted job " + job.getMetadata().getName());
        }
    }

    private static Instant startOf(Job job) {
        Instant start = job.getStatus() == null ? null : Times.parse(job.getStatus().getStartTime());
        if (start == null) start = Times.parse(job.getMetadata().getCreationTimestamp());
        return start == null ? Instant.MAX : start;
    }

    /** {@code {cronjob}-{scheduled time in minutes since the epoch}}, as kube names them. */
    public static String jobName(CronJob cj, Instant scheduled) {
        return cj.getMetadata().getName() + "-" + scheduled.getEpochSecond() / 60;
    }

    /** The Job for the run at {@code scheduled}: the jobTemplate's labels, annotations and spec, the scheduled-time annotation, the controller reference. */
    static Job jobFromTemplate(CronJob cj, Instant scheduled, Schedules schedules) {
        var template = Copies.deep(cj.getSpec().getJobTemplate());
        var meta = template.getMetadata();
        Map<String, String> labels = meta == null || meta.getLabels() == null ? null : new HashMap<>(meta.getLabels());
        Map<String, String> annotations = new HashMap<>(meta == null || meta.getAnnotations() == null ? Map.of() : meta.getAnnotations());
        annotations.put(SCHEDULED_TIMESTAMP, scheduled.atZone(schedules.zone()).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        return new JobBuilder()
                .withNewMetadata()
                .withNamespace(cj.getMetadata().getNamespace())
                .withName(jobName(cj, scheduled))
                .withLabels(labels)
                .withAnnotations(annotations)
                .withOwnerReferences(Owners.controllerRef(cj))
                .endMetadata()
                .withSpec(template.getSpec())
                .build();
    }

    static ObjectReference reference(Job job) {
        return new ObjectReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
                .withNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
                .withUid(job.getMetadata().getUid()).withResourceVersion(job.getMetadata().getResourceVersion()).build();
    }

    private void writeStatus(CronJob cj, CronJobStatus status, List<ObjectReference> active) {
        status.setActive(active.isEmpty() ? null : active);
        CronJobStatus old = cj.getStatus();
        if (old != null && Objects.equals(normalized(old), normalized(status))) return;
        CronJob copy = Copies.deep(cj);
        copy.setStatus(status);
        try {
            objects.updateStatus(copy);
            return;
        } catch (RuntimeException e) {
            if (ObjectClient.isNotFound(e)) return;
            if (!ObjectClient.isConflict(e)) throw e;
        }
        CronJob fresh = objects.get(CronJob.class, cj.getMetadata().getNamespace(), cj.getMetadata().getName()).orElse(null);
        if (fresh == null || !fresh.getMetadata().getUid().equals(cj.getMetadata().getUid())) return;
        fresh.setStatus(status);
        objects.updateStatus(fresh);
    }

    private static CronJobStatus normalized(CronJobStatus s) {
        CronJobStatus copy = Copies.deep(s);
        if (copy.getActive() != null && copy.getActive().isEmpty()) copy.setActive(null);
        return copy;
    }
}
