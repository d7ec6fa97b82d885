package io.kube4j.controller.deployment;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.kube4j.controller.pods.Claims;
import io.kube4j.controller.pods.Copies;
import io.kube4j.controller.pods.Owners;
import io.kube4j.controller.pods.Pods;
import io.kube4j.controller.pods.Selectors;
import io.kube4j.machinery.client.ObjectClient;
import io.kube4j.machinery.controller.Reconciler;
import io.kube4j.machinery.controller.Result;
import io.kube4j.machinery.events.EventRecorder;
import io.kube4j.machinery.informer.Cache;
import io.kube4j.machinery.selection.LabelSelector;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static io.kube4j.controller.deployment.Rollouts.*;

/**
 * Rolls a Deployment's ReplicaSets towards its template, with kube-controller-manager's
 * semantics: claims the ReplicaSets its selector matches; a paused Deployment or a change of
 * {@code replicas} only scales (proportionally, mid-rollout); otherwise RollingUpdate (the new
 * ReplicaSet grows within maxSurge, old ones shrink within maxUnavailable, unhealthy old replicas
 * first) or Recreate (old ones to zero, wait for their pods to go, then the new one); keeps
 * revisionHistoryLimit old ReplicaSets; writes the status with the Progressing and Available
 * conditions and asks to be called again when the progress deadline would pass.
 *
 * <p>Every write is guarded by the resourceVersion the cache had: a stale read ends in a 409
 * and a retry on a fresher cache. The new ReplicaSet's name is {@code {deployment}-{hash}}, so a
 * retried creation meets AlreadyExists rather than making a twin. Keys are {@code namespace/name}.
 */
public final class DeploymentReconciler implements Reconciler {

    private final Cache<Deployment> deployments;
    private final Cache<ReplicaSet> sets;
    private final Cache<Pod> pods;
    private final ObjectClient objects;
    private final EventRecorder events;
    private final Clock clock;

    public DeploymentReconciler(Cache<Deployment> deployments, Cache<ReplicaSet> sets, Cache<Pod> pods,
                                ObjectClient objects, EventRecorder events, Clock clock) {
        this.deployments = deployments;
        this.sets = sets;
        this.pods = pods;
        this.objects = objects;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public Result reconcile(String key) {
        Deployment cached = deployments.get(key).orElse(null);
        if (cached == null) return Result.DONE;
        return new Sync(Copies.deep(cached)).run();
    }

    /** One pass over one Deployment; {@code d} is a private copy that follows each write. */
    private final class Sync {
        private Deployment d;
        private Result result = Result.DONE;

        Sync(Deployment d) {
            this.d = d;
            if (d.getStatus() == null) d.setStatus(new DeploymentStatus());
        }

        Result run() {
            LabelSelector selector = Selectors.of(d.getSpec().getSelector());
            if (selector.isEmpty()) {
                events.event(d, EventRecorder.WARNING, "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.");
                if (longOf(d.getStatus().getObservedGeneration()) < longOf(d.getMetadata().getGeneration())) {
                    d.getStatus().setObservedGeneration(d.getMetadata().getGeneration());
                    writeStatus();
                }
                return Result.DONE;
            }
            List<ReplicaSet> owned = Claims.claim(d, selector, sets.list(d.getMetadata().getNamespace()), objects,
                    Claims.ownerStillCurrent(objects, d));
            List<ReplicaSet> rsList = new ArrayList<>(owned);
            if (d.getMetadata().getDeletionTimestamp() != null) {
                syncStatusOnly(rsList);
                return result;
            }
            checkPausedConditions();
            if (paused(d) || isScalingEvent(rsList)) {
                sync(rsList);
                return result;
            }
            if (isRollingUpdate(d)) rolloutRolling(rsList);
            else rolloutRecreate(rsList);
            return result;
        }

        // ------------------------------------------------------------ finding the new ReplicaSet

        /** [newRS or null, old...]: the new one made when {@code create}, revisions brought up to date. */
        private ReplicaSet newReplicaSet(List<ReplicaSet> rsList, List<ReplicaSet> oldRSs, boolean create) {
            ReplicaSet existing = findNew(d, rsList);
            String newRevision = Long.toString(maxRevision(oldRSs) + 1);
            Instant now = clock.instant();
            if (existing != null) {
                ReplicaSet copy = Copies.deep(existing);
                boolean annotationsChanged = setNewReplicaSetAnnotations(d, copy, newRevision, true);
                boolean minReadyChanged = !Objects.equals(intOf(copy.getSpec().getMinReadySeconds()), minReadySeconds(d));
                if (annotationsChanged || minReadyChanged) {
                    copy.getSpec().setMinReadySeconds(minReadySeconds(d));
                    return objects.update(copy);
                }
                boolean revisionChanged = setRevision(annotation(copy, REVISION));
                boolean statusChanged = false;
                if (hasProgressDeadline(d) && condition(d.getStatus(), PROGRESSING) == null) {
                    setCondition(d.getStatus(), newCondition(PROGRESSING, "True", FOUND_NEW_RS,
                            "Found new replica set \"" + copy.getMetadata().getName() + "\"", now));
                    statusChanged = true;
                }
                if (revisionChanged) writeDeployment();
                if (revisionChanged || statusChanged) writeStatus();
                return copy;
            }
            if (!create) return null;

            PodTemplateSpec template = Copies.deep(d.getSpec().getTemplate());
            String hash = TemplateHash.of(d.getSpec().getTemplate(), d.getStatus().getCollisionCount());
            Map<String, String> labels = new LinkedHashMap<>(template.getMetadata() == null || template.getMetadata().getLabels() == null
                    ? Map.of() : template.getMetadata().getLabels());
            labels.put(HASH_LABEL, hash);
            if (template.getMetadata() == null) template.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
            template.getMetadata().setLabels(labels);
            var selector = Copies.deep(d.getSpec().getSelector());
            Map<String, String> matchLabels = new LinkedHashMap<>(selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels());
            matchLabels.put(HASH_LABEL, hash);
            selector.setMatchLabels(matchLabels);
            ReplicaSet fresh = new ReplicaSetBuilder()
                    .withNewMetadata()
                    .withName(d.getMetadata().getName() + "-" + hash)
                    .withNamespace(d.getMetadata().getNamespace())
                    .withOwnerReferences(Owners.controllerRef(d))
                    .withLabels(new LinkedHashMap<>(labels))
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(0)
                    .withMinReadySeconds(minReadySeconds(d))
                    .withSelector(selector)
                    .withTemplate(template)
                    .endSpec()
                    .build();
            List<ReplicaSet> all = new ArrayList<>(oldRSs);
            all.add(fresh);
            int newReplicas = newReplicaSetReplicas(d, all, fresh);
            fresh.getSpec().setReplicas(newReplicas);
            setNewReplicaSetAnnotations(d, fresh, newRevision, false);

            ReplicaSet created;
            boolean alreadyExisted = false;
            try {
                created = objects.create(fresh);
            } catch (RuntimeException e) {
                if (!ObjectClient.isConflict(e)) {
                    String message = "Failed to create new replica set \"" + fresh.getMetadata().getName() + "\": " + message(e);
                    if (hasProgressDeadline(d)) {
                        setCondition(d.getStatus(), newCondition(PROGRESSING, "False", FAILED_RS_CREATE, message, now));
                        writeStatus();
                    }
                    events.event(d, EventRecorder.WARNING, FAILED_RS_CREATE, message);
                    throw e;
                }
                ReplicaSet same = objects.get(ReplicaSet.class, d.getMetadata().getNamespace(), fresh.getMetadata().getName()).orElse(null);
                if (same != null && Owners.isControlledBy(same, d) && equalIgnoringHash(d.getSpec().getTemplate(), same.getSpec().getTemplate())) {
                    created = same;
                    alreadyExisted = true;
                } else {
                    // A hash collision: another template already has this name. Count it, so the next hash differs.
                    d.getStatus().setCollisionCount(intOf(d.getStatus().getCollisionCount()) + 1);
                    writeStatus();
                    throw e;
                }
            }
            if (!alreadyExisted && newReplicas > 0) {
                events.event(d, EventRecorder.NORMAL, "ScalingReplicaSet",
                        "Scaled up replica set " + created.getMetadata().getName() + " to " + newReplicas + " from 0");
            }
            boolean revisionChanged = setRevision(newRevision);
            boolean statusChanged = false;
            if (!alreadyExisted && hasProgressDeadline(d)) {
                setCondition(d.getStatus(), newCondition(PROGRESSING, "True", NEW_RS_CREATED,
                        "Created new replica set \"" + created.getMetadata().getName() + "\"", now));
                statusChanged = true;
            }
            if (revisionChanged) writeDeployment();
            if (revisionChanged || statusChanged) writeStatus();
            return created;
        }

        private boolean setRevision(String revision) {
            if (revision == null || Objects.equals(annotation(d, REVISION), revision)) return false;
            if (d.getMetadata().getAnnotations() == null) d.getMetadata().setAnnotations(new HashMap<>());
            d.getMetadata().getAnnotations().put(REVISION, revision);
            return true;
        }

        private List<ReplicaSet> oldOf(List<ReplicaSet> rsList, ReplicaSet newRS) {
            List<ReplicaSet> old = new ArrayList<>();
            for (ReplicaSet rs : rsList) {
                if (newRS == null || !rs.getMetadata().getUid().equals(newRS.getMetadata().getUid())) old.add(rs);
            }
            return old;
        }

        // ------------------------------------------------------------ scaling

        private boolean isScalingEvent(List<ReplicaSet> rsList) {
            ReplicaSet newRS = findNew(d, rsList);
            List<ReplicaSet> all = new ArrayList<>(oldOf(rsList, newRS));
            if (newRS != null) all.add(newRS);
            for (ReplicaSet rs : active(all)) {
                String desired = annotation(rs, DESIRED_REPLICAS);
                if (desired != null && !desired.equals(Integer.toString(replicas(d)))) return true;
            }
            return false;
        }

        private void sync(List<ReplicaSet> rsList) {
            ReplicaSet newRS = newReplicaSet(rsList, oldOf(rsList, findNew(d, rsList)), false);
            List<ReplicaSet> oldRSs = oldOf(rsList, newRS);
            scale(newRS, oldRSs);
            if (paused(d)) cleanup(oldRSs);
            List<ReplicaSet> all = allOf(oldRSs, newRS);
            writeStatusIfChanged(calculateStatus(all, newRS));
        }

        private void syncStatusOnly(List<ReplicaSet> rsList) {
            ReplicaSet newRS = findNew(d, rsList);
            writeStatusIfChanged(calculateStatus(allOf(oldOf(rsList, newRS), newRS), newRS));
        }

        private void scale(ReplicaSet newRS, List<ReplicaSet> oldRSs) {
            ReplicaSet only = activeOrLatest(newRS, oldRSs);
            if (only != null) {
                if (replicas(only) != replicas(d)) scaleAndRecord(only, replicas(d));
                return;
            }
            if (isSaturated(d, newRS)) {
                for (ReplicaSet old : active(oldRSs)) scaleAndRecord(old, 0);
                return;
            }
            if (!isRollingUpdate(d)) return;
            List<ReplicaSet> all = new ArrayList<>(active(allOf(oldRSs, newRS)));
            int allowed = replicas(d) > 0 ? replicas(d) + maxSurge(d) : 0;
            int toAdd = allowed - specReplicas(all);
            String operation = "";
            if (toAdd > 0) {
                all.sort(BY_SIZE_NEWER);
                operation = "up";
            } else if (toAdd < 0) {
                all.sort(BY_SIZE_OLDER);
                operation = "down";
            }
            int added = 0;
            Map<String, Integer> sizes = new HashMap<>();
            for (ReplicaSet rs : all) {
                int share = toAdd != 0 ? proportion(rs, d, toAdd, added) : 0;
                sizes.put(rs.getMetadata().getName(), replicas(rs) + share);
                added += share;
            }
            for (int i = 0; i < all.size(); i++) {
                ReplicaSet rs = all.get(i);
                if (i == 0 && toAdd != 0) {
                    // Leftovers go to the largest ReplicaSet.
                    sizes.put(rs.getMetadata().getName(), Math.max(0, sizes.get(rs.getMetadata().getName()) + toAdd - added));
                }
                scaleReplicaSet(rs, sizes.get(rs.getMetadata().getName()), operation);
            }
        }

        /** Scales {@code rs} to {@code size}, recording the event; the ReplicaSet as stored afterwards. */
        private ReplicaSet scaleAndRecord(ReplicaSet rs, int size) {
            if (replicas(rs) == size) return rs;
            return scaleReplicaSet(rs, size, replicas(rs) < size ? "up" : "down");
        }

        private ReplicaSet scaleReplicaSet(ReplicaSet rs, int size, String operation) {
            ReplicaSet copy = Copies.deep(rs);
            boolean sizeChanged = replicas(rs) != size;
            boolean annotationsChanged = setReplicasAnnotations(copy, replicas(d), replicas(d) + maxSurge(d));
            if (!sizeChanged && !annotationsChanged) return rs;
            int from = replicas(rs);
            copy.getSpec().setReplicas(size);
            ReplicaSet stored = objects.update(copy);
            if (sizeChanged) {
                events.event(d, EventRecorder.NORMAL, "ScalingReplicaSet",
                        "Scaled " + operation + " replica set " + rs.getMetadata().getName() + " to " + size + " from " + from);
            }
            return stored;
        }

        // ------------------------------------------------------------ strategies

        private void rolloutRolling(List<ReplicaSet> rsList) {
            ReplicaSet found = findNew(d, rsList);
            ReplicaSet newRS = newReplicaSet(rsList, oldOf(rsList, found), true);
            List<ReplicaSet> oldRSs = oldOf(rsList, newRS);
            List<ReplicaSet> all = allOf(oldRSs, newRS);
            if (reconcileNew(all, newRS)) {
                syncRolloutStatus(all, newRS);
                return;
            }
            if (reconcileOld(all, active(oldRSs), newRS)) {
                syncRolloutStatus(all, newRS);
                return;
            }
            if (complete(d, d.getStatus())) cleanup(oldRSs);
            syncRolloutStatus(all, newRS);
        }

        private void rolloutRecreate(List<ReplicaSet> rsList) {
            ReplicaSet newRS = newReplicaSet(rsList, oldOf(rsList, findNew(d, rsList)), false);
            List<ReplicaSet> oldRSs = oldOf(rsList, newRS);
            List<ReplicaSet> all = allOf(oldRSs, newRS);
            boolean scaledDown = false;
            for (ReplicaSet old : active(oldRSs)) {
                if (replicas(old) != 0) {
                    scaleAndRecord(old, 0);
                    scaledDown = true;
                }
            }
            if (scaledDown || oldPodsRunning(newRS, oldRSs)) {
                syncRolloutStatus(all, newRS);
                return;
            }
            if (newRS == null) {
                newRS = newReplicaSet(rsList, oldRSs, true);
                all = allOf(oldRSs, newRS);
            }
            reconcileNew(all, newRS);
            if (complete(d, d.getStatus())) cleanup(oldRSs);
            syncRolloutStatus(all, newRS);
        }

        /** Recreate waits until no pod of an old ReplicaSet may still run. */
        private boolean oldPodsRunning(ReplicaSet newRS, List<ReplicaSet> oldRSs) {
            if (statusReplicas(oldRSs) > 0) return true;
            for (Pod pod : pods.list(d.getMetadata().getNamespace())) {
                var ref = Owners.controllerOf(pod);
                if (ref == null || (newRS != null && ref.getUid().equals(newRS.getMetadata().getUid()))) continue;
                boolean ofOld = oldRSs.stream().anyMatch(rs -> rs.getMetadata().getUid().equals(ref.getUid()));
                if (!ofOld) continue;
                String phase = Pods.phase(pod);
                if (!"Failed".equals(phase) && !"Succeeded".equals(phase)) return true;
            }
            return false;
        }

        private boolean reconcileNew(List<ReplicaSet> all, ReplicaSet newRS) {
            if (replicas(newRS) == replicas(d)) return false;
            int target = replicas(newRS) > replicas(d) ? replicas(d) : newReplicaSetReplicas(d, all, newRS);
            return replicas(scaleAndRecord(newRS, target)) != replicas(newRS);
        }

        private boolean reconcileOld(List<ReplicaSet> all, List<ReplicaSet> oldRSs, ReplicaSet newRS) {
            int oldPods = specReplicas(oldRSs);
            if (oldPods == 0) return false;
            int allPods = specReplicas(all);
            int minAvailable = replicas(d) - maxUnavailable(d);
            int newUnavailable = replicas(newRS) - availableReplicas(newRS);
            int maxScaledDown = allPods - minAvailable - newUnavailable;
            if (maxScaledDown <= 0) return false;
            List<ReplicaSet> olds = new ArrayList<>(oldRSs);
            int cleaned = cleanupUnhealthy(olds, maxScaledDown);
            int scaled = scaleDownOld(allOf(olds, newRS), olds);
            return cleaned + scaled > 0;
        }

        /** Old replicas that are not available go first, or they would hold the rollout up until its deadline. */
        private int cleanupUnhealthy(List<ReplicaSet> olds, int maxCleanup) {
            olds.sort(BY_CREATION);
            int total = 0;
            for (int i = 0; i < olds.size(); i++) {
                if (total >= maxCleanup) break;
                ReplicaSet rs = olds.get(i);
                if (replicas(rs) == 0 || replicas(rs) == availableReplicas(rs)) continue;
                int down = Math.min(maxCleanup - total, replicas(rs) - availableReplicas(rs));
                olds.set(i, scaleAndRecord(rs, replicas(rs) - down));
                total += down;
            }
            return total;
        }

        private int scaleDownOld(List<ReplicaSet> all, List<ReplicaSet> olds) {
            int minAvailable = replicas(d) - maxUnavailable(d);
            int available = availableReplicas(all);
            if (available <= minAvailable) return 0;
            olds.sort(BY_CREATION);
            int total = 0;
            int wanted = available - minAvailable;
            for (ReplicaSet rs : olds) {
                if (total >= wanted) break;
                if (replicas(rs) == 0) continue;
                int down = Math.min(replicas(rs), wanted - total);
                scaleAndRecord(rs, replicas(rs) - down);
                total += down;
            }
            return total;
        }

        /** Deletes the oldest old ReplicaSets beyond revisionHistoryLimit that have no replicas left. */
        private void cleanup(List<ReplicaSet> oldRSs) {
            Integer limit = d.getSpec().getRevisionHistoryLimit();
            if (limit == null) return;
            List<ReplicaSet> cleanable = new ArrayList<>(oldRSs.stream().filter(rs -> rs.getMetadata().getDeletionTimestamp() == null).toList());
            int diff = cleanable.size() - limit;
            if (diff <= 0) return;
            cleanable.sort(java.util.Comparator.comparingLong(Rollouts::revision).thenComparing(BY_CREATION));
            for (int i = 0; i < diff; i++) {
                ReplicaSet rs = cleanable.get(i);
                int statusReplicas = rs.getStatus() == null ? 0 : intOf(rs.getStatus().getReplicas());
                long observed = rs.getStatus() == null ? 0 : longOf(rs.getStatus().getObservedGeneration());
                if (statusReplicas != 0 || replicas(rs) != 0 || longOf(rs.getMetadata().getGeneration()) > observed) continue;
                objects.delete(ReplicaSet.class, rs.getMetadata().getNamespace(), rs.getMetadata().getName(), rs.getMetadata().getUid(), null);
            }
        }

        // ------------------------------------------------------------ status

        private void checkPausedConditions() {
            if (!hasProgressDeadline(d)) return;
            DeploymentCondition c = condition(d.getStatus(), PROGRESSING);
            if (c != null && TIMED_OUT.equals(c.getReason())) return;
            boolean pausedCondition = c != null && PAUSED.equals(c.getReason());
            Instant now = clock.instant();
            if (paused(d) && !pausedCondition) {
                setCondition(d.getStatus(), newCondition(PROGRESSING, "Unknown", PAUSED, "Deployment is paused", now));
                writeStatus();
            } else if (!paused(d) && pausedCondition) {
                setCondition(d.getStatus(), newCondition(PROGRESSING, "Unknown", RESUMED, "Deployment is resumed", now));
                writeStatus();
            }
        }

        private DeploymentStatus calculateStatus(List<ReplicaSet> all, ReplicaSet newRS) {
            int available = availableReplicas(all);
            int unavailable = Math.max(0, specReplicas(all) - available);
            DeploymentStatus status = new DeploymentStatus();
            status.setObservedGeneration(d.getMetadata().getGeneration());
            status.setReplicas(statusReplicas(all));
            status.setUpdatedReplicas(newRS == null ? 0 : statusReplicas(List.of(newRS)));
            status.setReadyReplicas(readyReplicas(all));
            status.setAvailableReplicas(available);
            status.setUnavailableReplicas(unavailable);
            status.setCollisionCount(d.getStatus().getCollisionCount());
            status.setConditions(new ArrayList<>(d.getStatus().getConditions() == null ? List.of()
                    : d.getStatus().getConditions().stream().map(Copies::deep).toList()));
            Instant now = clock.instant();
            if (available >= replicas(d) - maxUnavailable(d)) {
                setCondition(status, newCondition(AVAILABLE, "True", MIN_AVAILABLE, "Deployment has minimum availability.", now));
            } else {
                setCondition(status, newCondition(AVAILABLE, "False", MIN_UNAVAILABLE, "Deployment does not have minimum availability.", now));
            }
            return status;
        }

        private void syncRolloutStatus(List<ReplicaSet> all, ReplicaSet newRS) {
            DeploymentStatus status = calculateStatus(all, newRS);
            Instant now = clock.instant();
            if (!hasProgressDeadline(d)) removeCondition(status, PROGRESSING);
            DeploymentCondition current = condition(d.getStatus(), PROGRESSING);
            boolean completeRollout = intOf(status.getReplicas()) == intOf(status.getUpdatedReplicas())
                    && current != null && NEW_RS_AVAILABLE.equals(current.getReason());
            if (hasProgressDeadline(d) && !completeRollout) {
                String subject = newRS != null ? "ReplicaSet \"" + newRS.getMetadata().getName() + "\"" : "Deployment \"" + d.getMetadata().getName() + "\"";
                if (complete(d, status)) {
                    setCondition(status, newCondition(PROGRESSING, "True", NEW_RS_AVAILABLE, subject + " has successfully progressed.", now));
                } else if (progressing(d, status)) {
                    DeploymentCondition condition = newCondition(PROGRESSING, "True", RS_UPDATED, subject + " is progressing.", now);
                    if (current != null) {
                        if ("True".equals(current.getStatus())) condition.setLastTransitionTime(current.getLastTransitionTime());
                        removeCondition(status, PROGRESSING);
                    }
                    setCondition(status, condition);
                } else if (timedOut(d, status, now)) {
                    setCondition(status, newCondition(PROGRESSING, "False", TIMED_OUT, subject + " has timed out progressing.", now));
                }
            }
            DeploymentCondition failure = replicaFailure(all, newRS);
            if (failure != null) setCondition(status, failure);
            else removeCondition(status, REPLICA_FAILURE);
            if (sameStatus(d.getStatus(), status)) {
                requeueIfStuck(status, now);
                return;
            }
            d.setStatus(status);
            writeStatus();
        }

        /** The new ReplicaSet's ReplicaFailure condition (else an old one's), as the Deployment's. */
        private DeploymentCondition replicaFailure(List<ReplicaSet> all, ReplicaSet newRS) {
            List<ReplicaSet> order = new ArrayList<>();
            if (newRS != null) order.add(newRS);
            all.stream().filter(rs -> rs != newRS).forEach(order::add);
            for (ReplicaSet rs : order) {
                if (rs == null || rs.getStatus() == null || rs.getStatus().getConditions() == null) continue;
                for (var c : rs.getStatus().getConditions()) {
                    if (!REPLICA_FAILURE.equals(c.getType())) continue;
                    DeploymentCondition dc = new DeploymentCondition();
                    dc.setType(REPLICA_FAILURE);
                    dc.setStatus(c.getStatus());
                    dc.setReason(c.getReason());
                    dc.setMessage(c.getMessage());
                    dc.setLastUpdateTime(c.getLastTransitionTime());
                    dc.setLastTransitionTime(c.getLastTransitionTime());
                    return dc;
                }
            }
            return null;
        }

        /** With no visible progress, look again when the deadline would pass (kube's requeueStuckDeployment). */
        private void requeueIfStuck(DeploymentStatus status, Instant now) {
            DeploymentCondition current = condition(d.getStatus(), PROGRESSING);
            if (!hasProgressDeadline(d) || current == null) return;
            if (complete(d, status) || TIMED_OUT.equals(current.getReason())) return;
            Instant updated = io.kube4j.controller.pods.Times.parse(current.getLastUpdateTime());
            if (updated == null) return;
            Duration after = Duration.between(now, updated.plusSeconds(d.getSpec().getProgressDeadlineSeconds()));
            result = result.merge(Result.requeueAfter(after.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : after.plusSeconds(1)));
        }

        private void writeStatusIfChanged(DeploymentStatus status) {
            if (sameStatus(d.getStatus(), status)) return;
            d.setStatus(status);
            writeStatus();
        }

        /** Writes d's status through /status; d becomes the stored object. */
        private void writeStatus() {
            d = objects.updateStatus(d);
            if (d.getStatus() == null) d.setStatus(new DeploymentStatus());
        }

        /** Writes d's metadata (the revision annotation) through the main resource, keeping the status being built. */
        private void writeDeployment() {
            DeploymentStatus building = d.getStatus();
            d = objects.update(d);
            d.setStatus(building);
        }
    }

    private static List<ReplicaSet> allOf(List<ReplicaSet> oldRSs, ReplicaSet newRS) {
        List<ReplicaSet> all = new ArrayList<>(oldRSs);
        if (newRS != null) all.add(newRS);
        return all;
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
