package io.kube4j.controller.statefulset;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Keeps a StatefulSet's pods {@code {name}-0 … {name}-(replicas-1)} with kube-controller-manager's
 * semantics: the current template is a ControllerRevision (re-used, with a new number, when a
 * rollback brings an old template back); each missing ordinal gets its PersistentVolumeClaims
 * ({@code {template}-{name}-{ordinal}}, kept on scale-down) and its pod — from the current
 * revision below the partition, the update revision above — with hostname and subdomain for the
 * headless Service; finished pods are replaced; ordinals at or past replicas go highest first.
 * With {@code OrderedReady} each step waits for every lower pod to be Running and Ready (and
 * scale-down for all to be healthy); with {@code Parallel} it does not. A RollingUpdate replaces
 * one pod of an old revision at a time, highest ordinal first, down to the partition; OnDelete
 * only uses the new revision for pods someone deleted. Status carries replicas, ready, available,
 * current and updated counts and revisions; revisions beyond revisionHistoryLimit that no pod
 * uses are deleted.
 *
 * <p>Keys are {@code namespace/name}; idempotent (pod names are deterministic, so a repeated
 * create meets AlreadyExists); one key is never reconciled by two threads at once.
 */
public final class StatefulSetReconciler implements Reconciler {

    public static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
    public static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
    public static final String REVISION_LABEL = "controller-revision-hash";

    private final Cache<StatefulSet> sets;
    private final Cache<Pod> pods;
    private final Cache<ControllerRevision> revisions;
    private final ObjectClient objects;
    private final EventRecorder events;
    private final Clock clock;

    public StatefulSetReconciler(Cache<StatefulSet> sets, Cache<Pod> pods, Cache<ControllerRevision> revisions,
                                 ObjectClient objects, EventRecorder events, Clock clock) {
        this.sets = sets;
        this.pods = pods;
        this.revisions = revisions;
        this.objects = objects;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public Result reconcile(String key) {
        StatefulSet set = sets.get(key).orElse(null);
        if (set == null || set.getMetadata().getDeletionTimestamp() != null) return Result.DONE;
        String namespace = set.getMetadata().getNamespace();
        LabelSelector selector = Selectors.of(set.getSpec().getSelector());
        List<Pod> owned = Claims.claim(set, selector, pods.list(namespace), objects, Claims.ownerStillCurrent(objects, set))
                .stream().filter(p -> ordinal(set, p) >= 0).toList();
        List<ControllerRevision> history = new ArrayList<>(Claims.claim(set, selector, revisions.list(namespace), objects,
                Claims.ownerStillCurrent(objects, set)));
        history.sort(Comparator.comparingLong(r -> r.getRevision() == null ? 0 : r.getRevision()));

        ControllerRevision update = updateRevision(set, history);
        String currentName = set.getStatus() == null ? null : set.getStatus().getCurrentRevision();
        ControllerRevision current = history.stream().filter(r -> r.getMetadata().getName().equals(currentName)).findFirst().orElse(update);

        int replicas = set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
        Map<Integer, Pod> byOrdinal = new HashMap<>();
        List<Pod> condemned = new ArrayList<>();
        for (Pod pod : owned) {
            int ordinal = ordinal(set, pod);
            if (ordinal < replicas) byOrdinal.put(ordinal, pod);
            else condemned.add(pod);
        }
        condemned.sort(Comparator.comparingInt((Pod p) -> ordinal(set, p)).reversed());
        boolean ordered = !"Parallel".equals(set.getSpec().getPodManagementPolicy());
        Result result = step(set, byOrdinal, condemned, replicas, ordered, current, update);

        writeStatus(set, status(set, owned, replicas, current, update));
        truncateHistory(set, history, owned, current, update);
        return result;
    }

    /** One pass over the ordinals; stops where OrderedReady must wait. */
    private Result step(StatefulSet set, Map<Integer, Pod> byOrdinal, List<Pod> condemned, int replicas, boolean ordered,
                        ControllerRevision current, ControllerRevision update) {
        boolean allHealthy = true;
        for (int ordinal = 0; ordinal < replicas; ordinal++) {
            Pod pod = byOrdinal.get(ordinal);
            if (pod != null && !Pods.isActive(pod) && pod.getMetadata().getDeletionTimestamp() == null) {
                // A finished pod of a StatefulSet is replaced under the same name.
                delete(set, pod);
                if (ordered) return Result.DONE;
                pod = null;
                byOrdinal.remove(ordinal);
            }
            if (pod == null) {
                create(set, ordinal, revisionFor(set, ordinal, current, update));
                allHealthy = false;
                if (ordered) return Result.DONE;
                continue;
            }
            if (pod.getMetadata().getDeletionTimestamp() != null || !running(pod) || !Pods.isReady(pod)) {
                allHealthy = false;
                if (ordered) return Result.DONE;
            }
        }
        for (Pod pod : condemned) {
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                if (ordered) return Result.DONE;
                continue;
            }
            if (ordered && !allHealthy) return Result.DONE;
            delete(set, pod);
            if (ordered) return Result.DONE;
        }
        if (!"RollingUpdate".equals(strategy(set))) return Result.DONE;
        int partition = partition(set);
        for (int ordinal = replicas - 1; ordinal >= partition; ordinal--) {
            Pod pod = byOrdinal.get(ordinal);
            if (pod == null) return Result.DONE;
            if (!update.getMetadata().getName().equals(revisionOf(pod)) && pod.getMetadata().getDeletionTimestamp() == null) {
                events.event(set, EventRecorder.NORMAL, "SuccessfulDelete", "delete Pod " + pod.getMetadata().getName()
                        + " in StatefulSet " + set.getMetadata().getName() + " successful");
                objects.delete(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName(), pod.getMetadata().getUid(), null);
                return Result.DONE;
            }
            if (pod.getMetadata().getDeletionTimestamp() != null || !running(pod) || !Pods.isReady(pod)) return Result.DONE;
        }
        return Result.DONE;
    }

    /** The revision of the current template: an equal one re-used (renumbered to be the newest), or a new one. */
    private ControllerRevision updateRevision(StatefulSet set, List<ControllerRevision> history) {
        PodTemplateSpec template = set.getSpec().getTemplate();
        ControllerRevision reused = Revisions.reuse(objects, history, template);
        if (reused != null) return reused;
        long max = Revisions.max(history);
        Integer collisions = set.getStatus() == null ? null : set.getStatus().getCollisionCount();
        ControllerRevision revision = Revisions.of(set, template, max + 1, collisions);
        try {
            ControllerRevision created = objects.create(revision);
            history.add(created);
            return created;
        } catch (RuntimeException e) {
            if (!ObjectClient.isConflict(e)) throw e;
            ControllerRevision existing = objects.get(ControllerRevision.class, set.getMetadata().getNamespace(), revision.getMetadata().getName()).orElseThrow(() -> e);
            if (Owners.isControlledBy(existing, set) && Revisions.restores(existing, template)) return existing;
            throw e;
        }
    }

    private ControllerRevision revisionFor(StatefulSet set, int ordinal, ControllerRevision current, ControllerRevision update) {
        return "RollingUpdate".equals(strategy(set)) && ordinal < partition(set) ? current : update;
    }

    private void create(StatefulSet set, int ordinal, ControllerRevision revision) {
        Pod pod = podFor(set, ordinal, revision);
        for (PersistentVolumeClaim claim : claimsFor(set, ordinal)) {
            if (objects.get(PersistentVolumeClaim.class, claim.getMetadata().getNamespace(), claim.getMetadata().getName()).isPresent()) continue;
            try {
                objects.create(claim);
                events.event(set, EventRecorder.NORMAL, "SuccessfulCreate", "create Claim " + claim.getMetadata().getName() + " Pod "
                        + pod.getMetadata().getName() + " in StatefulSet " + set.getMetadata().getName() + " success");
            } catch (RuntimeException e) {
                if (!ObjectClient.isConflict(e)) {
                    events.event(set, EventRecorder.WARNING, "FailedCreate", "create Claim " + claim.getMetadata().getName() + " for Pod "
                            + pod.getMetadata().getName() + " in StatefulSet " + set.getMetadata().getName() + " failed error: " + e.getMessage());
                    throw e;
                }
            }
        }
        try {
            objects.create(pod);
            events.event(set, EventRecorder.NORMAL, "SuccessfulCreate", "create Pod " + pod.getMetadata().getName()
                    + " in StatefulSet " + set.getMetadata().getName() + " successful");
        } catch (RuntimeException e) {
            if (ObjectClient.isConflict(e)) return;
            events.event(set, EventRecorder.WARNING, "FailedCreate", "create Pod " + pod.getMetadata().getName()
                    + " in StatefulSet " + set.getMetadata().getName() + " failed error: " + e.getMessage());
            throw e;
        }
    }

    private void delete(StatefulSet set, Pod pod) {
        objects.delete(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName(), pod.getMetadata().getUid(), null);
        events.event(set, EventRecorder.NORMAL, "SuccessfulDelete", "delete Pod " + pod.getMetadata().getName()
                + " in StatefulSet " + set.getMetadata().getName() + " successful");
    }

    /** The pod of {@code ordinal} from {@code revision}'s template: its identity labels, hostname, subdomain and claims. */
    static Pod podFor(StatefulSet set, int ordinal, ControllerRevision revision) {
        PodTemplateSpec template = Objects.requireNonNullElse(Revisions.template(revision), Copies.deep(set.getSpec().getTemplate()));
        String name = set.getMetadata().getName() + "-" + ordinal;
        var meta = template.getMetadata();
        Map<String, String> labels = new HashMap<>(meta == null || meta.getLabels() == null ? Map.of() : meta.getLabels());
        labels.put(POD_NAME_LABEL, name);
        labels.put(POD_INDEX_LABEL, Integer.toString(ordinal));
        labels.put(REVISION_LABEL, revision.getMetadata().getName());
        var spec = template.getSpec();
        spec.setHostname(name);
        if (set.getSpec().getServiceName() != null && !set.getSpec().getServiceName().isEmpty()) spec.setSubdomain(set.getSpec().getServiceName());
        List<Volume> volumes = new ArrayList<>(spec.getVolumes() == null ? List.of() : spec.getVolumes());
        for (PersistentVolumeClaim claim : nullToEmpty(set.getSpec().getVolumeClaimTemplates())) {
            String template_ = claim.getMetadata().getName();
            String claimName = claimName(template_, set, ordinal);
            volumes.removeIf(v -> template_.equals(v.getName()));
            volumes.add(new VolumeBuilder().withName(template_).withNewPersistentVolumeClaim().withClaimName(claimName).endPersistentVolumeClaim().build());
        }
        spec.setVolumes(volumes.isEmpty() ? null : volumes);
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace(set.getMetadata().getNamespace())
                .withName(name)
                .withLabels(labels)
                .withAnnotations(meta == null ? null : meta.getAnnotations())
                .withOwnerReferences(Owners.controllerRef(set))
                .endMetadata()
                .withSpec(spec)
                .build();
    }

    /** The claims of {@code ordinal}: each template named {@code {template}-{set}-{ordinal}}, labelled with the selector's labels. */
    static List<PersistentVolumeClaim> claimsFor(StatefulSet set, int ordinal) {
        List<PersistentVolumeClaim> claims = new ArrayList<>();
        for (PersistentVolumeClaim template : nullToEmpty(set.getSpec().getVolumeClaimTemplates())) {
            PersistentVolumeClaim claim = Copies.deep(template);
            claim.setApiVersion("v1");
            claim.setKind("PersistentVolumeClaim");
            claim.setStatus(null);
            Map<String, String> labels = new HashMap<>(claim.getMetadata().getLabels() == null ? Map.of() : claim.getMetadata().getLabels());
            if (set.getSpec().getSelector() != null && set.getSpec().getSelector().getMatchLabels() != null) {
                labels.putAll(set.getSpec().getSelector().getMatchLabels());
            }
            claim.getMetadata().setLabels(labels);
            claim.getMetadata().setName(claimName(template.getMetadata().getName(), set, ordinal));
            claim.getMetadata().setNamespace(set.getMetadata().getNamespace());
            claims.add(claim);
        }
        return claims;
    }

    static String claimName(String template, StatefulSet set, int ordinal) {
        return template + "-" + set.getMetadata().getName() + "-" + ordinal;
    }

    /** The ordinal in a member pod's name {@code {set}-{n}}, or -1 for a pod that is not one. */
    static int ordinal(StatefulSet set, Pod pod) {
        String prefix = set.getMetadata().getName() + "-";
        String name = pod.getMetadata().getName();
        if (!name.startsWith(prefix)) return -1;
        String rest = name.substring(prefix.length());
        return rest.matches("0|[1-9][0-9]{0,8}") ? Integer.parseInt(rest) : -1;
    }

    StatefulSetStatus status(StatefulSet set, List<Pod> owned, int specReplicas, ControllerRevision current, ControllerRevision update) {
        Instant now = clock.instant();
        int minReady = set.getSpec().getMinReadySeconds() == null ? 0 : set.getSpec().getMinReadySeconds();
        int replicas = 0, ready = 0, available = 0, currentReplicas = 0, updated = 0;
        for (Pod pod : owned) {
            replicas++;
            if (running(pod) && Pods.isReady(pod)) {
                ready++;
                if (Pods.isAvailable(pod, minReady, now)) available++;
            }
            if (pod.getMetadata().getDeletionTimestamp() != null) continue;
            String revision = revisionOf(pod);
            if (current.getMetadata().getName().equals(revision)) currentReplicas++;
            if (update.getMetadata().getName().equals(revision)) updated++;
        }
        StatefulSetStatus status = new StatefulSetStatus();
        status.setObservedGeneration(set.getMetadata().getGeneration());
        status.setReplicas(replicas);
        status.setReadyReplicas(ready);
        status.setAvailableReplicas(available);
        status.setCurrentReplicas(currentReplicas);
        status.setUpdatedReplicas(updated);
        status.setCurrentRevision(current.getMetadata().getName());
        status.setUpdateRevision(update.getMetadata().getName());
        status.setCollisionCount(set.getStatus() == null || set.getStatus().getCollisionCount() == null ? 0 : set.getStatus().getCollisionCount());
        if (set.getStatus() != null) status.setConditions(set.getStatus().getConditions());
        // A finished rolling update (or OnDelete set fully replaced) makes the update revision current.
        if (updated == specReplicas && ready == specReplicas && replicas == specReplicas) {
            status.setCurrentRevision(update.getMetadata().getName());
            status.setCurrentReplicas(updated);
        }
        return status;
    }

    private void writeStatus(StatefulSet set, StatefulSetStatus status) {
        if (Objects.equals(set.getStatus(), status)) return;
        StatefulSet copy = Copies.deep(set);
        copy.setStatus(status);
        try {
            objects.updateStatus(copy);
        } catch (RuntimeException e) {
            if (ObjectClient.isNotFound(e)) return;
            throw e;
        }
    }

    /** Deletes the oldest revisions beyond revisionHistoryLimit that neither a pod nor the status uses. */
    private void truncateHistory(StatefulSet set, List<ControllerRevision> history, List<Pod> owned,
                                 ControllerRevision current, ControllerRevision update) {
        int limit = set.getSpec().getRevisionHistoryLimit() == null ? 10 : set.getSpec().getRevisionHistoryLimit();
        Set<String> live = new HashSet<>();
        owned.forEach(p -> live.add(revisionOf(p)));
        live.add(current.getMetadata().getName());
        live.add(update.getMetadata().getName());
        List<ControllerRevision> unused = history.stream().filter(r -> !live.contains(r.getMetadata().getName()))
                .sorted(Comparator.comparingLong(r -> r.getRevision() == null ? 0 : r.getRevision())).toList();
        for (int i = 0; i < unused.size() - limit; i++) {
            ControllerRevision r = unused.get(i);
            objects.delete(ControllerRevision.class, r.getMetadata().getNamespace(), r.getMetadata().getName(), r.getMetadata().getUid(), null);
        }
    }

    static String revisionOf(Pod pod) {
        return pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(REVISION_LABEL);
    }

    private static boolean running(Pod pod) {
        return "Running".equals(Pods.phase(pod));
    }

    private static String strategy(StatefulSet set) {
        return set.getSpec().getUpdateStrategy() == null || set.getSpec().getUpdateStrategy().getType() == null
                ? "RollingUpdate" : set.getSpec().getUpdateStrategy().getType();
    }

    private static int partition(StatefulSet set) {
        var strategy = set.getSpec().getUpdateStrategy();
        if (strategy == null || strategy.getRollingUpdate() == null || strategy.getRollingUpdate().getPartition() == null) return 0;
        return strategy.getRollingUpdate().getPartition();
    }

    private static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

}
