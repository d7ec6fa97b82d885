package io.kube4j.controller.daemonset;

import io.kube4j.controller.pods.PodRemover;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.kube4j.controller.deployment.TemplateHash;
import io.kube4j.controller.pods.Claims;
import io.kube4j.controller.pods.Copies;
import io.kube4j.controller.pods.Expectations;
import io.kube4j.controller.pods.Owners;
import io.kube4j.controller.pods.Pods;
import io.kube4j.controller.pods.Selectors;
import io.kube4j.controller.statefulset.Revisions;
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
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Keeps one pod of a DaemonSet on every node it may run on (kube-controller-manager's
 * {@code daemonset} controller): the current template is a ControllerRevision (an old one
 * re-used, renumbered, when a rollback brings its template back), whose hash labels the pods;
 * {@link DaemonSetPlan} says which nodes get a pod and which pods go, this class carries it out —
 * creating pods pinned to their node by affinity, deleting through the gateway, and removing at
 * once the pods bound to a node that no longer exists — then writes the status and deletes the
 * revisions beyond {@code revisionHistoryLimit} that no pod uses.
 *
 * <p>A failed pod is replaced with a per-node backoff (1 s doubling to 15 min), as kube does, so a
 * node agent that keeps rejecting the pod is not fought in a hot loop.
 *
 * <p>Creations and deletions are {@link Expectations}: until the cache has seen them, a pass
 * only writes status, so a lagging cache never doubles a node's pod. Keys are
 * {@code namespace/name}; a set that is gone is success; idempotent; one key is never
 * reconciled by two threads at once.
 */
public final class DaemonSetReconciler implements Reconciler {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DaemonSetReconciler.class);

    private final Cache<DaemonSet> sets;
    private final Cache<Pod> pods;
    private final Cache<Node> nodes;
    private final Cache<ControllerRevision> revisions;
    private final ObjectClient objects;
    private final PodRemover remover;
    private final EventRecorder events;
    private final Expectations expectations;
    private final Clock clock;
    private final Map<String, FailedBackoff> failedBackoff = new java.util.concurrent.ConcurrentHashMap<>();

    static final Duration FAILED_BACKOFF_INITIAL = Duration.ofSeconds(1);
    static final Duration FAILED_BACKOFF_MAX = Duration.ofMinutes(15);

    /** The wait before replacing the next failed pod of a set on a node, and when it last grew. */
    private record FailedBackoff(Duration delay, Instant updated) {}

    public DaemonSetReconciler(Cache<DaemonSet> sets, Cache<Pod> pods, Cache<Node> nodes, Cache<ControllerRevision> revisions,
                               ObjectClient objects, PodRemover remover, EventRecorder events, Expectations expectations, Clock clock) {
        this.sets = sets;
        this.pods = pods;
        this.nodes = nodes;
        this.revisions = revisions;
        this.objects = objects;
        this.remover = remover;
        this.events = events;
        this.expectations = expectations;
        this.clock = clock;
    }

    @Override
    public Result reconcile(String key) {
        DaemonSet set = sets.get(key).orElse(null);
        if (set == null) {
            expectations.forget(key);
            failedBackoff.keySet().removeIf(k -> k.startsWith(key + "/"));
            return Result.DONE;
        }
        if (set.getMetadata().getDeletionTimestamp() != null) return Result.DONE;
        LabelSelector selector = Selectors.of(set.getSpec().getSelector());
        var given = set.getSpec().getSelector();
        if (given == null || ((given.getMatchLabels() == null || given.getMatchLabels().isEmpty())
                && (given.getMatchExpressions() == null || given.getMatchExpressions().isEmpty()))) {
            // kube acts on no set whose selector selects everything (it would claim every pod of the namespace)
            events.event(set, EventRecorder.WARNING, "SelectingAll", "This daemon set is selecting all pods. A non-empty selector is required.");
            return Result.DONE;
        }
        // Expectations first, the cache after, as kube's syncDaemonSet does: the informer updates its
        // cache before its handlers settle expectations, so once they are satisfied every pod event
        // that settled them is in what the pass reads. Read the other way round, a deletion landing
        // between the two lets the pass act on a pod already gone, expect its deletion again, and wait
        // for an event that has already come.
        boolean satisfied = expectations.satisfied(key);
        String namespace = set.getMetadata().getNamespace();
        List<Pod> owned = Claims.claim(set, selector, pods.list(namespace), objects, Claims.ownerStillCurrent(objects, set));
        List<ControllerRevision> history = new ArrayList<>(Claims.claim(set, selector, revisions.list(namespace), objects,
                Claims.ownerStillCurrent(objects, set)));
        ControllerRevision update = updateRevision(set, history);
        if (update == null) return Result.DONE;
        String hash = hashOf(update);
        PodTemplateSpec template = set.getSpec().getTemplate();
        PodSpec spec = DaemonPods.specOf(template);
        List<Node> nodeList = nodes.list();
        Instant now = clock.instant();

        Result result = Result.DONE;
        if (satisfied) {
            DaemonSetPlan.Actions actions = DaemonSetPlan.plan(set, spec, nodeList, owned, hash, now);
            List<Pod> held = new ArrayList<>();
            for (Pod failed : actions.failed()) {
                Duration wait = backoff(key + "/" + DaemonPods.targetNode(failed), now);
                if (wait != null) {
                    held.add(failed);
                    result = result.merge(Result.requeueAfter(wait));
                }
            }
            if (!held.isEmpty()) {
                List<Pod> delete = new ArrayList<>(actions.delete());
                delete.removeAll(held);
                List<Pod> failed = new ArrayList<>(actions.failed());
                failed.removeAll(held);
                actions = new DaemonSetPlan.Actions(actions.createOn(), delete, actions.force(), failed);
            }
            if (log.isDebugEnabled()) {
                log.debug("{}: revision {}, {} pods, create on {}, delete {}, force {}", key, hash, owned.size(),
                        actions.createOn(), names(actions.delete()), names(actions.force()));
            }
            execute(key, set, template, hash, actions);
        } else {
            log.debug("{}: waiting for its pods (expectations unmet when the pass began; now {})", key, expectations.describe(key));
            // Should the awaited event never come, the expectations lapse: look again then.
            Duration lapse = expectations.untilLapsed(key);
            if (lapse != null) result = result.merge(Result.requeueAfter(lapse));
        }
        DaemonSetStatus status = DaemonSetPlan.status(set, spec, nodeList, owned, hash, now);
        // kube raises observedGeneration only on a pass that acted on this generation
        if (!satisfied) status.setObservedGeneration(set.getStatus() == null ? null : set.getStatus().getObservedGeneration());
        writeStatus(set, status);
        truncateHistory(set, history, owned, update);
        return result.merge(requeueForAvailability(set, owned, now));
    }

    private static List<String> names(List<Pod> pods) {
        return pods.stream().map(p -> p.getMetadata().getName()).toList();
    }

    /** How long a failed pod on this set's node must wait before it is replaced, or null when it may go now (and the wait grows). */
    private Duration backoff(String setAndNode, Instant now) {
        FailedBackoff last = failedBackoff.get(setAndNode);
        if (last != null && now.isBefore(last.updated().plus(last.delay()))) return Duration.between(now, last.updated().plus(last.delay()));
        Duration next = last == null || now.isAfter(last.updated().plus(FAILED_BACKOFF_MAX.multipliedBy(2)))
                ? FAILED_BACKOFF_INITIAL : min(last.delay().multipliedBy(2), FAILED_BACKOFF_MAX);
        failedBackoff.put(setAndNode, new FailedBackoff(next, now));
        return null;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void execute(String key, DaemonSet set, PodTemplateSpec template, String hash, DaemonSetPlan.Actions actions) {
        if (actions.isEmpty()) return;
        Set<String> deleting = new HashSet<>();
        actions.delete().forEach(p -> deleting.add(ObjectKeys.key(p)));
        expectations.expect(key, actions.createOn().size(), deleting);
        for (Pod pod : actions.failed()) {
            events.event(set, EventRecorder.WARNING, "FailedDaemonPod", "Found failed daemon pod " + ObjectKeys.key(pod)
                    + " on node " + DaemonPods.targetNode(pod) + ", will try to kill it");
        }
        RuntimeException firstError = null;
        for (Pod pod : actions.delete()) {
            try {
                if (expectations.delete(key, ObjectKeys.key(pod), () -> objects.delete(Pod.class, pod.getMetadata().getNamespace(),
                        pod.getMetadata().getName(), pod.getMetadata().getUid(), null))) {
                    events.event(set, EventRecorder.NORMAL, "SuccessfulDelete", "Deleted pod: " + pod.getMetadata().getName());
                }
            } catch (RuntimeException e) {
                events.event(set, EventRecorder.WARNING, "FailedDelete", "Error deleting: " + e.getMessage());
                if (firstError == null) firstError = e;
            }
        }
        for (Pod pod : actions.force()) {
            remover.remove(pod);
            events.event(set, EventRecorder.NORMAL, "SuccessfulDelete", "Deleted pod: " + pod.getMetadata().getName());
        }
        for (String node : actions.createOn()) {
            try {
                Pod created = objects.create(DaemonPods.forNode(set, template, node, hash));
                events.event(set, EventRecorder.NORMAL, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
            } catch (RuntimeException e) {
                expectations.creationObserved(key);
                events.event(set, EventRecorder.WARNING, "FailedCreate", "Error creating: " + e.getMessage());
                if (firstError == null) firstError = e;
            }
        }
        if (firstError != null) throw firstError;
    }

    /** The revision of the current template: an equal one (renumbered to be the newest when it is not), or a new one. */
    private ControllerRevision updateRevision(DaemonSet set, List<ControllerRevision> history) {
        PodTemplateSpec template = set.getSpec().getTemplate();
        ControllerRevision reused = Revisions.reuse(objects, history, template);
        if (reused != null) return reused;
        long max = Revisions.max(history);
        Integer collisions = set.getStatus() == null ? null : set.getStatus().getCollisionCount();
        ControllerRevision revision = Revisions.of(set, template, max + 1, collisions);
        revision.getMetadata().getLabels().put(DaemonPods.HASH_LABEL, TemplateHash.of(template, collisions));
        try {
            ControllerRevision created = objects.create(revision);
            history.add(created);
            return created;
        } catch (RuntimeException e) {
            if (!ObjectClient.isConflict(e)) throw e;
            ControllerRevision existing = objects.get(ControllerRevision.class, set.getMetadata().getNamespace(), revision.getMetadata().getName()).orElseThrow(() -> e);
            if (Owners.isControlledBy(existing, set) && Revisions.restores(existing, template)) return existing;
            // A name taken by another template: count the collision, which changes the next name, and try again.
            DaemonSet copy = Copies.deep(set);
            DaemonSetStatus status = copy.getStatus() == null ? new DaemonSetStatus() : copy.getStatus();
            status.setCollisionCount((collisions == null ? 0 : collisions) + 1);
            copy.setStatus(status);
            objects.updateStatus(copy);
            throw e;
        }
    }

    /** The hash a revision's pods carry: its label, or (for a revision without one) its name's suffix. */
    static String hashOf(ControllerRevision revision) {
        Map<String, String> labels = revision.getMetadata().getLabels();
        if (labels != null && labels.get(DaemonPods.HASH_LABEL) != null) return labels.get(DaemonPods.HASH_LABEL);
        String name = revision.getMetadata().getName();
        return name.substring(name.lastIndexOf('-') + 1);
    }

    private void writeStatus(DaemonSet set, DaemonSetStatus status) {
        if (Objects.equals(set.getStatus(), status)) return;
        DaemonSet copy = Copies.deep(set);
        copy.setStatus(status);
        try {
            objects.updateStatus(copy);
        } catch (RuntimeException e) {
            if (ObjectClient.isNotFound(e)) return;
            throw e;
        }
    }

    /** kube's cleanupHistory: the oldest revisions beyond the limit go, unless a pod or the update revision uses them. */
    private void truncateHistory(DaemonSet set, List<ControllerRevision> history, List<Pod> owned, ControllerRevision update) {
        int limit = set.getSpec().getRevisionHistoryLimit() == null ? 10 : set.getSpec().getRevisionHistoryLimit();
        List<ControllerRevision> old = history.stream().filter(r -> !r.getMetadata().getName().equals(update.getMetadata().getName()))
                .sorted(Comparator.comparingLong(r -> r.getRevision() == null ? 0 : r.getRevision())).toList();
        int toKill = old.size() - limit;
        if (toKill <= 0) return;
        Set<String> live = new HashSet<>();
        for (Pod pod : owned) {
            if (pod.getMetadata().getLabels() != null && pod.getMetadata().getLabels().get(DaemonPods.HASH_LABEL) != null) {
                live.add(pod.getMetadata().getLabels().get(DaemonPods.HASH_LABEL));
            }
        }
        for (ControllerRevision r : old) {
            if (toKill <= 0) break;
            if (live.contains(hashOf(r))) continue;
            objects.delete(ControllerRevision.class, r.getMetadata().getNamespace(), r.getMetadata().getName(), r.getMetadata().getUid(), null);
            toKill--;
        }
    }

    /** With minReadySeconds, a Ready pod becomes available later without an event: look again then. */
    private static Result requeueForAvailability(DaemonSet set, List<Pod> owned, Instant now) {
        int minReady = set.getSpec().getMinReadySeconds() == null ? 0 : set.getSpec().getMinReadySeconds();
        if (minReady == 0) return Result.DONE;
        Duration soonest = null;
        for (Pod pod : owned) {
            Instant since = Pods.readySince(pod);
            if (since == null || Pods.isAvailable(pod, minReady, now)) continue;
            Duration left = Duration.between(now, since.plusSeconds(minReady)).plusSeconds(1);
            if (soonest == null || left.compareTo(soonest) < 0) soonest = left;
        }
        return soonest == null ? Result.DONE : Result.requeueAfter(soonest);
    }
}
