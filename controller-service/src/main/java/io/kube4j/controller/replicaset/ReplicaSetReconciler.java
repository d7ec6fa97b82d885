package io.kube4j.controller.replicaset;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
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
import io.kube4j.machinery.selection.LabelSelector;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * Brings a ReplicaSet's pods to its {@code spec.replicas} and reports them in its status, with
 * kube-controller-manager's semantics: claim (adopt orphans the selector matches, release what no
 * longer matches), then — only when every creation and deletion it asked for has reached the
 * cache ({@link Expectations}) — create the missing pods in slow-start batches or delete the
 * surplus in {@link ActivePods} order, at most {@code burstReplicas} per pass; then write
 * replicas, fullyLabeledReplicas, readyReplicas, availableReplicas, observedGeneration and the
 * ReplicaFailure condition.
 *
 * <p>Keys are {@code namespace/name}. Idempotent; thread-safe for distinct keys (the work queue
 * never hands one key to two workers).
 */
public final class ReplicaSetReconciler implements Reconciler {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ReplicaSetReconciler.class);

    /** kube's burstReplicas: the most pods one pass creates or deletes. */
    public static final int DEFAULT_BURST_REPLICAS = 500;
    static final int INITIAL_BATCH = 1;

    private final Cache<ReplicaSet> sets;
    private final Cache<Pod> pods;
    private final ObjectClient objects;
    private final EventRecorder events;
    private final Expectations expectations;
    private final ExecutorService executor;
    private final Clock clock;
    private final int burstReplicas;
    private final java.util.concurrent.Semaphore podWrites;

    public ReplicaSetReconciler(Cache<ReplicaSet> sets, Cache<Pod> pods, ObjectClient objects, EventRecorder events,
                                Expectations expectations, ExecutorService executor, Clock clock, int burstReplicas) {
        this(sets, pods, objects, events, expectations, executor, clock, burstReplicas, Integer.MAX_VALUE);
    }

    /** @param podWrites the most pod creates and deletes in flight at once, over every ReplicaSet */
    public ReplicaSetReconciler(Cache<ReplicaSet> sets, Cache<Pod> pods, ObjectClient objects, EventRecorder events,
                                Expectations expectations, ExecutorService executor, Clock clock, int burstReplicas, int podWrites) {
        this.sets = sets;
        this.pods = pods;
        this.objects = objects;
        this.events = events;
        this.expectations = expectations;
        this.executor = executor;
        this.clock = clock;
        this.burstReplicas = burstReplicas;
        this.podWrites = new java.util.concurrent.Semaphore(podWrites);
    }

    @Override
    public Result reconcile(String key) throws Exception {
        ReplicaSet rs = sets.get(key).orElse(null);
        if (rs == null) {
            expectations.forget(key);
            return Result.DONE;
        }
        boolean needsSync = expectations.satisfied(key) && rs.getMetadata().getDeletionTimestamp() == null;
        LabelSelector selector = Selectors.of(rs.getSpec().getSelector());
        List<Pod> active = pods.list(rs.getMetadata().getNamespace()).stream().filter(Pods::isActive).toList();
        List<Pod> owned = Claims.claim(rs, selector, active, objects, Claims.ownerStillCurrent(objects, rs));

        Exception manageError = null;
        boolean scalingUp = owned.size() < replicas(rs);
        if (needsSync) {
            try {
                manage(key, rs, owned);
            } catch (Exception e) {
                manageError = e;
            }
        }
        ReplicaSet updated = writeStatus(rs, status(rs, owned, manageError, scalingUp));
        if (manageError != null) throw manageError;
        int minReady = minReadySeconds(rs);
        if (minReady > 0 && updated != null && updated.getStatus() != null
                && !Objects.equals(updated.getStatus().getReadyReplicas(), updated.getStatus().getAvailableReplicas())) {
            return Result.requeueAfter(Duration.ofSeconds(minReady));
        }
        return Result.DONE;
    }

    private void manage(String key, ReplicaSet rs, List<Pod> owned) throws Exception {
        int diff = owned.size() - replicas(rs);
        if (diff < 0) {
            int count = Math.min(-diff, burstReplicas);
            expectations.expectCreations(key, count);
            long started = System.nanoTime();
            SlowStart.Outcome outcome = SlowStart.run(count, INITIAL_BATCH, executor, () -> createPod(rs));
            log.info("{}: too few replicas (have {}, want {}): created {} of {} pods in {} ms", key, owned.size(), replicas(rs),
                    outcome.successes(), count, (System.nanoTime() - started) / 1_000_000);
            for (int skipped = count - outcome.successes(); skipped > 0; skipped--) expectations.creationObserved(key);
            if (outcome.error() != null) throw outcome.error();
        } else if (diff > 0) {
            int count = Math.min(diff, burstReplicas);
            List<Pod> victims = ActivePods.toDelete(owned, relatedPods(rs, owned), count);
            Set<String> victimKeys = new LinkedHashSet<>();
            victims.forEach(p -> victimKeys.add(ObjectKeys.key(p)));
            expectations.expectDeletions(key, victimKeys);
            List<Future<?>> deletes = new ArrayList<>();
            for (Pod victim : victims) deletes.add(executor.submit(() -> deletePod(key, rs, victim)));
            Exception first = null;
            for (Future<?> f : deletes) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (first == null) first = e.getCause() instanceof Exception cause ? cause : e;
                }
            }
            log.info("{}: too many replicas (have {}, want {}): deleted {} pods", key, owned.size(), replicas(rs), victims.size());
            if (first != null) throw first;
        }
    }

    private void createPod(ReplicaSet rs) throws InterruptedException {
        Pod pod = podFromTemplate(rs);
        podWrites.acquire();
        try {
            Pod created = objects.create(pod);
            events.event(rs, EventRecorder.NORMAL, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
        } catch (RuntimeException e) {
            if (namespaceTerminating(e)) return;
            events.event(rs, EventRecorder.WARNING, "FailedCreate", "Error creating: " + message(e));
            throw e;
        } finally {
            podWrites.release();
        }
    }

    private Void deletePod(String key, ReplicaSet rs, Pod pod) throws InterruptedException {
        podWrites.acquire();
        try {
            if (expectations.delete(key, ObjectKeys.key(pod), () -> objects.delete(Pod.class, pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(), pod.getMetadata().getUid(), null))) {
                events.event(rs, EventRecorder.NORMAL, "SuccessfulDelete", "Deleted pod: " + pod.getMetadata().getName());
            }
            return null;
        } catch (RuntimeException e) {
            events.event(rs, EventRecorder.WARNING, "FailedDelete", "Error deleting: " + message(e));
            throw e;
        } finally {
            podWrites.release();
        }
    }

    /** A pod as the ReplicaSet makes it: the template's metadata and spec, generateName {@code {rs}-}, the controller reference. */
    static Pod podFromTemplate(ReplicaSet rs) {
        PodTemplateSpec template = Copies.deep(rs.getSpec().getTemplate());
        var meta = template.getMetadata();
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace(rs.getMetadata().getNamespace())
                .withGenerateName(rs.getMetadata().getName() + "-")
                .withLabels(meta == null ? null : meta.getLabels())
                .withAnnotations(meta == null ? null : meta.getAnnotations())
                .withFinalizers(meta == null ? null : meta.getFinalizers())
                .withOwnerReferences(Owners.controllerRef(rs))
                .endMetadata()
                .withSpec(template.getSpec())
                .build();
    }

    /** Pods of every ReplicaSet with the same owner as {@code rs} (a Deployment's), for the ranks of {@link ActivePods}. */
    private List<Pod> relatedPods(ReplicaSet rs, List<Pod> owned) {
        OwnerReference owner = Owners.controllerOf(rs);
        if (owner == null) return owned;
        Set<String> siblings = new java.util.HashSet<>();
        for (ReplicaSet other : sets.list(rs.getMetadata().getNamespace())) {
            OwnerReference ref = Owners.controllerOf(other);
            if (ref != null && owner.getUid().equals(ref.getUid())) siblings.add(other.getMetadata().getUid());
        }
        List<Pod> related = new ArrayList<>();
        for (Pod pod : pods.list(rs.getMetadata().getNamespace())) {
            OwnerReference ref = Owners.controllerOf(pod);
            if (ref != null && siblings.contains(ref.getUid())) related.add(pod);
        }
        return related;
    }

    /** The status the pods give; conditions carry over, ReplicaFailure set or cleared by {@code manageError}. */
    ReplicaSetStatus status(ReplicaSet rs, List<Pod> owned, Exception manageError, boolean scalingUp) {
        Instant now = clock.instant();
        Map<String, String> templateLabels = rs.getSpec().getTemplate() == null || rs.getSpec().getTemplate().getMetadata() == null
                ? Map.of() : nullToEmpty(rs.getSpec().getTemplate().getMetadata().getLabels());
        int minReady = minReadySeconds(rs);
        int fullyLabeled = 0, ready = 0, available = 0;
        for (Pod pod : owned) {
            Map<String, String> labels = nullToEmpty(pod.getMetadata().getLabels());
            if (labels.entrySet().containsAll(templateLabels.entrySet())) fullyLabeled++;
            if (Pods.isReady(pod)) {
                ready++;
                if (Pods.isAvailable(pod, minReady, now)) available++;
            }
        }
        ReplicaSetStatus current = rs.getStatus() == null ? new ReplicaSetStatus() : rs.getStatus();
        List<ReplicaSetCondition> conditions = new ArrayList<>(current.getConditions() == null ? List.of() : current.getConditions());
        boolean hasFailure = conditions.stream().anyMatch(c -> "ReplicaFailure".equals(c.getType()));
        if (manageError != null && !hasFailure) {
            ReplicaSetCondition failure = new ReplicaSetCondition();
            failure.setType("ReplicaFailure");
            failure.setStatus("True");
            failure.setReason(scalingUp ? "FailedCreate" : "FailedDelete");
            failure.setMessage(message(manageError));
            failure.setLastTransitionTime(Times.format(now));
            conditions.add(failure);
        } else if (manageError == null && hasFailure) {
            conditions.removeIf(c -> "ReplicaFailure".equals(c.getType()));
        }
        ReplicaSetStatus status = new ReplicaSetStatus();
        status.setReplicas(owned.size());
        status.setFullyLabeledReplicas(fullyLabeled);
        status.setReadyReplicas(ready);
        status.setAvailableReplicas(available);
        status.setObservedGeneration(rs.getMetadata().getGeneration());
        status.setConditions(conditions.isEmpty() ? null : conditions);
        return status;
    }

    /** Writes {@code status} when it differs; returns the ReplicaSet as now stored (the cached one when unchanged), or null when gone. */
    private ReplicaSet writeStatus(ReplicaSet rs, ReplicaSetStatus status) {
        if (sameStatus(rs.getStatus(), status)) return rs;
        ReplicaSet copy = Copies.deep(rs);
        copy.setStatus(status);
        try {
            return objects.updateStatus(copy);
        } catch (RuntimeException e) {
            if (ObjectClient.isNotFound(e)) return null;
            if (!ObjectClient.isConflict(e)) throw e;
        }
        // kube retries a status write once on the object read fresh.
        ReplicaSet fresh = objects.get(ReplicaSet.class, rs.getMetadata().getNamespace(), rs.getMetadata().getName()).orElse(null);
        if (fresh == null || !fresh.getMetadata().getUid().equals(rs.getMetadata().getUid())) return null;
        fresh.setStatus(status);
        return objects.updateStatus(fresh);
    }

    static boolean sameStatus(ReplicaSetStatus a, ReplicaSetStatus b) {
        if (a == null) return false;
        return intOf(a.getReplicas()) == intOf(b.getReplicas())
                && intOf(a.getFullyLabeledReplicas()) == intOf(b.getFullyLabeledReplicas())
                && intOf(a.getReadyReplicas()) == intOf(b.getReadyReplicas())
                && intOf(a.getAvailableReplicas()) == intOf(b.getAvailableReplicas())
                && Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
                && Objects.equals(emptyToNull(a.getConditions()), emptyToNull(b.getConditions()));
    }

    static int replicas(ReplicaSet rs) {
        return rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
    }

    static int minReadySeconds(ReplicaSet rs) {
        return rs.getSpec().getMinReadySeconds() == null ? 0 : rs.getSpec().getMinReadySeconds();
    }

    private static boolean namespaceTerminating(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.fabric8.kubernetes.client.KubernetesClientException k && k.getStatus() != null
                    && k.getStatus().getDetails() != null && k.getStatus().getDetails().getCauses() != null
                    && k.getStatus().getDetails().getCauses().stream().anyMatch(c -> "NamespaceTerminating".equals(c.getReason()))) {
                return true;
            }
        }
        return false;
    }

    static String message(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.fabric8.kubernetes.client.KubernetesClientException k && k.getStatus() != null && k.getStatus().getMessage() != null) {
                return k.getStatus().getMessage();
            }
        }
        return String.valueOf(e.getMessage());
    }

    private static int intOf(Integer i) {
        return i == null ? 0 : i;
    }

    private static <T> List<T> emptyToNull(List<T> list) {
        return list == null || list.isEmpty() ? null : list;
    }

    private static Map<String, String> nullToEmpty(Map<String, String> map) {
        return map == null ? new HashMap<>() : map;
    }

}
