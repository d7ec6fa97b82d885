package io.kube4j.controller.job;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.kube4j.controller.pods.ActivePods;
import io.kube4j.controller.pods.Claims;
import io.kube4j.controller.pods.Copies;
import io.kube4j.controller.pods.Expectations;
import io.kube4j.controller.pods.Owners;
import io.kube4j.controller.pods.Pods;
import io.kube4j.controller.pods.Selectors;
import io.kube4j.controller.pods.SlowStart;
import io.kube4j.controller.pods.Times;
import io.kube4j.machinery.client.ObjectClient;
import io.kube4j.machinery.controller.Reconciler;
import io.kube4j.machinery.controller.Result;
import io.kube4j.machinery.events.EventRecorder;
import io.kube4j.machinery.informer.Cache;
import io.kube4j.machinery.informer.ObjectKeys;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Runs a Job's pods to completion with kube-controller-manager's semantics: claim the pods the
 * selector matches; count succeeded and failed ones; fail the Job past its backoffLimit (failed
 * pods with restartPolicy Never, container restarts with OnFailure) or its activeDeadlineSeconds;
 * complete it when enough pods succeeded (per index when Indexed); otherwise keep
 * {@code min(parallelism, remaining completions)} pods active — created in slow-start batches
 * after the failure backoff ({@link Backoff}), surplus deleted in {@link ActivePods} order — or
 * none while suspended. Writes active, ready, succeeded, failed, completedIndexes, startTime,
 * completionTime and the conditions through the status subresource; a finished Job with
 * {@code ttlSecondsAfterFinished} is deleted (foreground) once that has passed.
 *
 * <p>Counts come from the pods that exist and never go down (a deleted succeeded pod still
 * counts); kube's pod-tracking finalizer is not used. Keys are {@code namespace/name};
 * idempotent; one key is never reconciled by two threads at once.
 */
public final class JobReconciler implements Reconciler {

    static final int INITIAL_BATCH = 1;
    static final String COMPLETE = "Complete";
    static final String FAILED = "Failed";
    static final String SUSPENDED = "Suspended";
    static final String SUCCESS_CRITERIA_MET = "SuccessCriteriaMet";
    static final String FAILURE_TARGET = "FailureTarget";

    private final Cache<Job> jobs;
    private final Cache<Pod> pods;
    private final ObjectClient objects;
    private final EventRecorder events;
    private final Expectations expectations;
    private final ExecutorService executor;
    private final Clock clock;

    public JobReconciler(Cache<Job> jobs, Cache<Pod> pods, ObjectClient objects, EventRecorder events,
                         Expectations expectations, ExecutorService executor, Clock clock) {
        this.jobs = jobs;
        this.pods = pods;
        this.objects = objects;
        this.events = events;
        this.expectations = expectations;
        this.executor = executor;
        this.clock = clock;
    }

    @Override
    public Result reconcile(String key) throws Exception {
        Job job = jobs.get(key).orElse(null);
        if (job == null) {
            expectations.forget(key);
            return Result.DONE;
        }
        if (finishedCondition(job) != null) return afterFinished(job);
        if (job.getMetadata().getDeletionTimestamp() != null) return Result.DONE;

        Instant now = clock.instant();
        // Expectations before the cache: once satisfied, the pod events that settled them are in what
        // this pass reads (the informer updates its cache before its handlers run).
        boolean satisfied = expectations.satisfied(key);
        List<Pod> owned = Claims.claim(job, Selectors.of(job.getSpec().getSelector()),
                pods.list(job.getMetadata().getNamespace()), objects, Claims.ownerStillCurrent(objects, job));
        List<Pod> active = new ArrayList<>(owned.stream().filter(Pods::isActive).toList());
        boolean indexed = isIndexed(job);
        int completions = job.getSpec().getCompletions() == null ? -1 : job.getSpec().getCompletions();
        JobStatus old = job.getStatus() == null ? new JobStatus() : job.getStatus();
        JobStatus status = Copies.deep(old);

        BitSet completedIndexes = new BitSet();
        int succeeded;
        if (indexed) {
            completedIndexes = CompletionIndexes.parse(old.getCompletedIndexes(), completions);
            for (Pod pod : owned) {
                int index = CompletionIndexes.of(pod, completions);
                if (index >= 0 && "Succeeded".equals(Pods.phase(pod))) completedIndexes.set(index);
            }
            succeeded = completedIndexes.cardinality();
            status.setCompletedIndexes(CompletionIndexes.format(completedIndexes));
        } else {
            succeeded = Math.max(intOf(old.getSucceeded()), count(owned, "Succeeded"));
        }
        int failed = Math.max(intOf(old.getFailed()), count(owned, "Failed"));
        boolean suspended = Boolean.TRUE.equals(job.getSpec().getSuspend());
        if (!suspended && status.getStartTime() == null) status.setStartTime(Times.format(now));

        Result result = Result.DONE;
        String failReason = null, failMessage = null;
        if (exceedsBackoffLimit(job, failed, active)) {
            failReason = "BackoffLimitExceeded";
            failMessage = "Job has reached the specified backoff limit";
        } else if (!suspended && job.getSpec().getActiveDeadlineSeconds() != null) {
            Instant deadline = Times.parse(status.getStartTime()).plusSeconds(job.getSpec().getActiveDeadlineSeconds());
            if (!now.isBefore(deadline)) {
                failReason = "DeadlineExceeded";
                failMessage = "Job was active longer than specified deadline";
            } else {
                result = result.merge(Result.requeueAfter(Duration.between(now, deadline)));
            }
        }
        boolean complete = completions < 0 ? succeeded > 0 && active.isEmpty() : succeeded >= completions;

        Exception manageError = null;
        if (failReason != null) {
            failed += deleteAll(key, job, active);
            active.clear();
            setCondition(status, FAILURE_TARGET, "True", failReason, failMessage, now);
            setCondition(status, FAILED, "True", failReason, failMessage, now);
            events.event(job, EventRecorder.WARNING, failReason, failMessage);
            result = ttlResult(job, now);
        } else if (complete) {
            deleteAll(key, job, active);
            active.clear();
            setCondition(status, SUCCESS_CRITERIA_MET, "True", "CompletionsReached", "Reached expected number of succeeded pods", now);
            setCondition(status, COMPLETE, "True", "CompletionsReached", "Reached expected number of succeeded pods", now);
            status.setCompletionTime(Times.format(now));
            events.event(job, EventRecorder.NORMAL, "Completed", "Job completed");
            result = ttlResult(job, now);
        } else {
            if (suspended) {
                if (setCondition(status, SUSPENDED, "True", "JobSuspended", "Job suspended", now)) {
                    events.event(job, EventRecorder.NORMAL, "Suspended", "Job suspended");
                }
            } else if (hasCondition(status, SUSPENDED, "True")) {
                setCondition(status, SUSPENDED, "False", "JobResumed", "Job resumed", now);
                events.event(job, EventRecorder.NORMAL, "Resumed", "Job resumed");
                // The deadline counts continuous activity: a resumed Job starts its clock again.
                status.setStartTime(Times.format(now));
            }
            if (satisfied) {
                try {
                    result = result.merge(manage(key, job, owned, active, completedIndexes, succeeded, suspended, now));
                } catch (Exception e) {
                    manageError = e;
                }
            }
        }

        status.setActive(active.size());
        status.setReady((int) active.stream().filter(Pods::isReady).count());
        status.setSucceeded(succeeded);
        status.setFailed(failed);
        status.setTerminating(null);
        if (!indexed) status.setCompletedIndexes(null);
        writeStatus(job, old, status);
        if (manageError != null) throw manageError;
        return result;
    }

    /**
     * Creates or deletes pods towards the wanted number of active ones; updates {@code active}
     * (by the pods it created and deleted) and returns when to look again (a backoff's end).
     */
    private Result manage(String key, Job job, List<Pod> owned, List<Pod> active, BitSet completedIndexes,
                          int succeeded, boolean suspended, Instant now) throws Exception {
        boolean indexed = isIndexed(job);
        int parallelism = job.getSpec().getParallelism() == null ? 1 : job.getSpec().getParallelism();
        Integer completions = job.getSpec().getCompletions();
        int want;
        if (suspended) want = 0;
        else if (completions == null) want = succeeded > 0 ? active.size() : parallelism;
        else want = Math.max(0, Math.min(parallelism, completions - succeeded));

        List<Pod> surplus = new ArrayList<>();
        if (indexed) {
            // Pods of an index already done, of no valid index, or a second pod of one index go first.
            Set<Integer> seen = new java.util.HashSet<>();
            for (Pod pod : active) {
                int index = CompletionIndexes.of(pod, completions);
                if (index < 0 || completedIndexes.get(index) || !seen.add(index)) surplus.add(pod);
            }
            List<Pod> rest = new ArrayList<>(active);
            rest.removeAll(surplus);
            if (rest.size() > want) surplus.addAll(ActivePods.toDelete(rest, owned, rest.size() - want));
        } else if (active.size() > want) {
            surplus.addAll(ActivePods.toDelete(active, owned, active.size() - want));
        }
        if (!surplus.isEmpty()) {
            deleteAll(key, job, surplus);
            active.removeAll(surplus);
            return Result.DONE;
        }
        int missing = want - active.size();
        if (missing <= 0) return Result.DONE;
        Duration backoff = Backoff.remaining(owned, now);
        if (!backoff.isZero()) return Result.requeueAfter(backoff);

        List<Pod> toCreate = new ArrayList<>();
        if (indexed) {
            List<Integer> running = active.stream().map(p -> CompletionIndexes.of(p, completions)).toList();
            for (int index : CompletionIndexes.pending(completedIndexes, running, completions, missing)) toCreate.add(podFromTemplate(job, index));
        } else {
            for (int i = 0; i < missing; i++) toCreate.add(podFromTemplate(job, -1));
        }
        expectations.expectCreations(key, toCreate.size());
        var next = new java.util.concurrent.ConcurrentLinkedQueue<>(toCreate);
        List<Pod> created = java.util.Collections.synchronizedList(new ArrayList<>());
        SlowStart.Outcome outcome = SlowStart.run(toCreate.size(), INITIAL_BATCH, executor, () -> created.add(createPod(job, next.poll())));
        for (int skipped = toCreate.size() - outcome.successes(); skipped > 0; skipped--) expectations.creationObserved(key);
        active.addAll(created);
        if (outcome.error() != null) throw outcome.error();
        return Result.DONE;
    }

    private Pod createPod(Job job, Pod pod) {
        try {
            Pod created = objects.create(pod);
            events.event(job, EventRecorder.NORMAL, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
            return created;
        } catch (RuntimeException e) {
            events.event(job, EventRecorder.WARNING, "FailedCreate", "Error creating: " + message(e));
            throw e;
        }
    }

    /** Deletes {@code victims} (expecting their deletions); returns how many were deleted. */
    private int deleteAll(String key, Job job, List<Pod> victims) throws Exception {
        if (victims.isEmpty()) return 0;
        Set<String> victimKeys = new LinkedHashSet<>();
        victims.forEach(p -> victimKeys.add(ObjectKeys.key(p)));
        expectations.expectDeletions(key, victimKeys);
        List<Future<Boolean>> deletes = new ArrayList<>();
        for (Pod victim : victims) deletes.add(executor.submit(() -> deletePod(key, job, victim)));
        Exception first = null;
        int deleted = 0;
        for (Future<Boolean> f : deletes) {
            try {
                if (f.get()) deleted++;
            } catch (ExecutionException e) {
                if (first == null) first = e.getCause() instanceof Exception cause ? cause : e;
            }
        }
        if (first != null) throw first;
        return deleted;
    }

    private boolean deletePod(String key, Job job, Pod pod) {
        try {
            if (!expectations.delete(key, ObjectKeys.key(pod), () -> objects.delete(Pod.class, pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(), pod.getMetadata().getUid(), null))) {
                return false;
            }
            events.event(job, EventRecorder.NORMAL, "SuccessfulDelete", "Deleted pod: " + pod.getMetadata().getName());
            return true;
        } catch (RuntimeException e) {
            events.event(job, EventRecorder.WARNING, "FailedDelete", "Error deleting: " + message(e));
            throw e;
        }
    }

    /** A finished Job: nothing to run; deleted once its ttlSecondsAfterFinished has passed. */
    private Result afterFinished(Job job) {
        Instant now = clock.instant();
        Result wait = ttlResult(job, now);
        if (wait.requeueAfter() == null || !wait.requeueAfter().isZero()) return wait;
        // Deleting on the Job read fresh: a Job whose TTL was just raised is not deleted.
        Job fresh = objects.get(Job.class, job.getMetadata().getNamespace(), job.getMetadata().getName()).orElse(null);
        if (fresh == null || !fresh.getMetadata().getUid().equals(job.getMetadata().getUid())) return Result.DONE;
        Result freshWait = ttlResult(fresh, now);
        if (freshWait.requeueAfter() == null || !freshWait.requeueAfter().isZero()) return freshWait;
        objects.delete(Job.class, job.getMetadata().getNamespace(), job.getMetadata().getName(), job.getMetadata().getUid(), "Foreground");
        return Result.DONE;
    }

    /** DONE without a TTL, else the time left until the finished Job expires (zero: expired). */
    static Result ttlResult(Job job, Instant now) {
        Integer ttl = job.getSpec().getTtlSecondsAfterFinished();
        if (ttl == null) return Result.DONE;
        JobCondition finished = finishedCondition(job);
        Instant at = finished == null ? now : Objects.requireNonNullElse(Times.parse(finished.getLastTransitionTime()), now);
        Duration left = Duration.between(now, at.plusSeconds(ttl));
        return Result.requeueAfter(left.isNegative() ? Duration.ZERO : left);
    }

    /** Past the backoff limit: failed pods with restartPolicy Never, container restarts of active pods with OnFailure. */
    static boolean exceedsBackoffLimit(Job job, int failed, List<Pod> active) {
        int limit = job.getSpec().getBackoffLimit() == null ? 6 : job.getSpec().getBackoffLimit();
        if (failed > limit) return true;
        PodTemplateSpec template = job.getSpec().getTemplate();
        if (template == null || template.getSpec() == null || !"OnFailure".equals(template.getSpec().getRestartPolicy())) return false;
        int restarts = 0;
        for (Pod pod : active) {
            String phase = Pods.phase(pod);
            if (!"Running".equals(phase) && !"Pending".equals(phase)) continue;
            if (pod.getStatus() == null) continue;
            for (var statuses : List.of(nullToEmpty(pod.getStatus().getInitContainerStatuses()), nullToEmpty(pod.getStatus().getContainerStatuses()))) {
                for (var s : statuses) restarts += s.getRestartCount() == null ? 0 : s.getRestartCount();
            }
        }
        return limit == 0 ? restarts > 0 : restarts >= limit;
    }

    /** A pod as the Job makes it: the template's metadata and spec, the controller reference, and for an index its annotation, label, env and hostname. */
    static Pod podFromTemplate(Job job, int index) {
        PodTemplateSpec template = Copies.deep(job.getSpec().getTemplate());
        var meta = template.getMetadata();
        Map<String, String> labels = new HashMap<>(meta == null || meta.getLabels() == null ? Map.of() : meta.getLabels());
        Map<String, String> annotations = new HashMap<>(meta == null || meta.getAnnotations() == null ? Map.of() : meta.getAnnotations());
        String generateName = job.getMetadata().getName() + "-";
        var spec = template.getSpec();
        if (index >= 0) {
            generateName = job.getMetadata().getName() + "-" + index + "-";
            annotations.put(CompletionIndexes.ANNOTATION, Integer.toString(index));
            labels.put(CompletionIndexes.ANNOTATION, Integer.toString(index));
            for (List<Container> containers : List.of(nullToEmpty(spec.getInitContainers()), nullToEmpty(spec.getContainers()))) {
                for (Container c : containers) addIndexEnv(c);
            }
            if (spec.getHostname() == null || spec.getHostname().isEmpty()) spec.setHostname(job.getMetadata().getName() + "-" + index);
        }
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace(job.getMetadata().getNamespace())
                .withGenerateName(generateName)
                .withLabels(labels.isEmpty() ? null : labels)
                .withAnnotations(annotations.isEmpty() ? null : annotations)
                .withFinalizers(meta == null ? null : meta.getFinalizers())
                .withOwnerReferences(Owners.controllerRef(job))
                .endMetadata()
                .withSpec(spec)
                .build();
    }

    private static void addIndexEnv(Container c) {
        List<EnvVar> env = new ArrayList<>(nullToEmpty(c.getEnv()));
        if (env.stream().anyMatch(e -> CompletionIndexes.ENV.equals(e.getName()))) return;
        env.add(new EnvVarBuilder().withName(CompletionIndexes.ENV).withNewValueFrom().withNewFieldRef()
                .withFieldPath("metadata.annotations['" + CompletionIndexes.ANNOTATION + "']").endFieldRef().endValueFrom().build());
        c.setEnv(env);
    }

    /** The Job's True Complete or Failed condition, or null while it runs. */
    public static JobCondition finishedCondition(Job job) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) return null;
        for (JobCondition c : job.getStatus().getConditions()) {
            if ((COMPLETE.equals(c.getType()) || FAILED.equals(c.getType())) && "True".equals(c.getStatus())) return c;
        }
        return null;
    }

    static boolean isIndexed(Job job) {
        return "Indexed".equals(job.getSpec().getCompletionMode()) && job.getSpec().getCompletions() != null;
    }

    private static boolean hasCondition(JobStatus status, String type, String value) {
        return status.getConditions() != null && status.getConditions().stream().anyMatch(c -> type.equals(c.getType()) && value.equals(c.getStatus()));
    }

    /** Sets the condition {@code type}; a False one only replaces an existing one. Returns whether it changed. */
    static boolean setCondition(JobStatus status, String type, String value, String reason, String message, Instant now) {
        List<JobCondition> conditions = new ArrayList<>(status.getConditions() == null ? List.of() : status.getConditions());
        String time = Times.format(now);
        for (JobCondition c : conditions) {
            if (!type.equals(c.getType())) continue;
            if (value.equals(c.getStatus()) && Objects.equals(reason, c.getReason()) && Objects.equals(message, c.getMessage())) return false;
            if (!value.equals(c.getStatus())) c.setLastTransitionTime(time);
            c.setStatus(value);
            c.setReason(reason);
            c.setMessage(message);
            c.setLastProbeTime(time);
            status.setConditions(conditions);
            return true;
        }
        if ("False".equals(value)) return false;
        JobCondition c = new JobCondition();
        c.setType(type);
        c.setStatus(value);
        c.setReason(reason);
        c.setMessage(message);
        c.setLastProbeTime(time);
        c.setLastTransitionTime(time);
        conditions.add(c);
        status.setConditions(conditions);
        return true;
    }

    private void writeStatus(Job job, JobStatus old, JobStatus status) {
        if (old != null && job.getStatus() != null && Objects.equals(old, status)) return;
        Job copy = Copies.deep(job);
        copy.setStatus(status);
        try {
            objects.updateStatus(copy);
        } catch (RuntimeException e) {
            if (ObjectClient.isNotFound(e)) return;
            throw e;
        }
    }

    private static int count(List<Pod> pods, String phase) {
        return (int) pods.stream().filter(p -> phase.equals(Pods.phase(p))).count();
    }

    private static int intOf(Integer i) {
        return i == null ? 0 : i;
    }

    private static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    static String message(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.fabric8.kubernetes.client.KubernetesClientException k && k.getStatus() != null && k.getStatus().getMessage() != null) {
                return k.getStatus().getMessage();
            }
        }
        return String.valueOf(e.getMessage());
    }
}
