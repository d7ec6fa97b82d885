package io.kube4j.controller.deployment;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.kube4j.controller.pods.Copies;
import io.kube4j.controller.pods.Times;
import io.kube4j.machinery.object.Json;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The arithmetic and bookkeeping of Deployment rollouts, as kube's deployment utilities define
 * them: surge and unavailability bounds, how far a new ReplicaSet may grow, proportional shares,
 * revisions and the annotations that carry them, conditions. Pure functions over model objects;
 * the "set" functions change the copy they are given and say whether anything changed.
 */
public final class Rollouts {

    public static final String HASH_LABEL = "pod-template-hash";
    public static final String REVISION = "deployment.kubernetes.io/revision";
    public static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
    public static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
    public static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    static final String ROLLBACK_TO = "deprecated.deployment.rollback.to";
    /** Annotations of a Deployment that are not copied to its ReplicaSets. */
    static final Set<String> NOT_COPIED = Set.of(LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, ROLLBACK_TO);
    static final int MAX_REVISION_HISTORY_CHARS = 2000;

    public static final String PROGRESSING = "Progressing";
    public static final String AVAILABLE = "Available";
    public static final String REPLICA_FAILURE = "ReplicaFailure";
    public static final String NEW_RS_CREATED = "NewReplicaSetCreated";
    public static final String FOUND_NEW_RS = "FoundNewReplicaSet";
    public static final String RS_UPDATED = "ReplicaSetUpdated";
    public static final String NEW_RS_AVAILABLE = "NewReplicaSetAvailable";
    public static final String TIMED_OUT = "ProgressDeadlineExceeded";
    public static final String PAUSED = "DeploymentPaused";
    public static final String RESUMED = "DeploymentResumed";
    public static final String FAILED_RS_CREATE = "ReplicaSetCreateError";
    public static final String MIN_AVAILABLE = "MinimumReplicasAvailable";
    public static final String MIN_UNAVAILABLE = "MinimumReplicasUnavailable";

    private Rollouts() {}

    // ---------------------------------------------------------------- spec

    public static int replicas(Deployment d) {
        return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    public static int replicas(ReplicaSet rs) {
        return rs == null || rs.getSpec().getReplicas() == null ? 0 : rs.getSpec().getReplicas();
    }

    public static boolean isRollingUpdate(Deployment d) {
        return d.getSpec().getStrategy() == null || !"Recreate".equals(d.getSpec().getStrategy().getType());
    }

    public static int minReadySeconds(Deployment d) {
        return d.getSpec().getMinReadySeconds() == null ? 0 : d.getSpec().getMinReadySeconds();
    }

    public static boolean paused(Deployment d) {
        return Boolean.TRUE.equals(d.getSpec().getPaused());
    }

    public static boolean hasProgressDeadline(Deployment d) {
        Integer s = d.getSpec().getProgressDeadlineSeconds();
        return s != null && s != Integer.MAX_VALUE;
    }

    /** An int, or a percentage of {@code total} rounded up or down: kube's GetScaledValueFromIntOrPercent. */
    public static int scaled(IntOrString value, int total, boolean roundUp) {
        if (value == null) return 0;
        Object v = value.getValue();
        if (v instanceof Number n) return n.intValue();
        String text = String.valueOf(v);
        if (!text.endsWith("%")) throw new IllegalArgumentException("invalid value for IntOrString: " + text);
        int percent = Integer.parseInt(text.substring(0, text.length() - 1));
        double exact = (double) percent * total / 100.0;
        return (int) (roundUp ? Math.ceil(exact) : Math.floor(exact));
    }

    /** maxSurge (rounded up) and maxUnavailable (rounded down); both 0 makes maxUnavailable 1. */
    static int[] fenceposts(Deployment d) {
        var rolling = d.getSpec().getStrategy() == null ? null : d.getSpec().getStrategy().getRollingUpdate();
        IntOrString surge = rolling == null || rolling.getMaxSurge() == null ? new IntOrString("25%") : rolling.getMaxSurge();
        IntOrString unavailable = rolling == null || rolling.getMaxUnavailable() == null ? new IntOrString("25%") : rolling.getMaxUnavailable();
        int desired = replicas(d);
        int s = scaled(surge, desired, true);
        int u = scaled(unavailable, desired, false);
        if (s == 0 && u == 0) u = 1;
        return new int[]{s, u};
    }

    public static int maxSurge(Deployment d) {
        return isRollingUpdate(d) ? fenceposts(d)[0] : 0;
    }

    public static int maxUnavailable(Deployment d) {
        if (!isRollingUpdate(d) || replicas(d) == 0) return 0;
        return Math.min(fenceposts(d)[1], replicas(d));
    }

    // ---------------------------------------------------------------- replica sets

    public static int specReplicas(List<ReplicaSet> sets) {
        return sets.stream().filter(Objects::nonNull).mapToInt(rs -> replicas(rs)).sum();
    }

    public static int statusReplicas(List<ReplicaSet> sets) {
        return sets.stream().filter(Objects::nonNull).mapToInt(rs -> rs.getStatus() == null || rs.getStatus().getReplicas() == null ? 0 : rs.getStatus().getReplicas()).sum();
    }

    public static int readyReplicas(List<ReplicaSet> sets) {
        return sets.stream().filter(Objects::nonNull).mapToInt(rs -> rs.getStatus() == null || rs.getStatus().getReadyReplicas() == null ? 0 : rs.getStatus().getReadyReplicas()).sum();
    }

    public static int availableReplicas(ReplicaSet rs) {
        return rs == null || rs.getStatus() == null || rs.getStatus().getAvailableReplicas() == null ? 0 : rs.getStatus().getAvailableReplicas();
    }

    public static int availableReplicas(List<ReplicaSet> sets) {
        return sets.stream().filter(Objects::nonNull).mapToInt(Rollouts::availableReplicas).sum();
    }

    public static List<ReplicaSet> active(List<ReplicaSet> sets) {
        return sets.stream().filter(rs -> rs != null && replicas(rs) > 0).toList();
    }

    /** Oldest first, ties by name. */
    public static final Comparator<ReplicaSet> BY_CREATION = Comparator
            .comparing((ReplicaSet rs) -> Objects.requireNonNullElse(Times.parse(rs.getMetadata().getCreationTimestamp()), Instant.EPOCH))
            .thenComparing(rs -> rs.getMetadata().getName());

    /** Larger first; among equals, newer first (kube's ReplicaSetsBySizeNewer). */
    static final Comparator<ReplicaSet> BY_SIZE_NEWER = Comparator.comparingInt((ReplicaSet rs) -> replicas(rs)).reversed().thenComparing(BY_CREATION.reversed());
    /** Larger first; among equals, older first (kube's ReplicaSetsBySizeOlder). */
    static final Comparator<ReplicaSet> BY_SIZE_OLDER = Comparator.comparingInt((ReplicaSet rs) -> replicas(rs)).reversed().thenComparing(BY_CREATION);

    /** Whether two templates are equal once the {@code pod-template-hash} label is set aside (empty and absent alike). */
    public static boolean equalIgnoringHash(PodTemplateSpec a, PodTemplateSpec b) {
        return withoutHash(a).equals(withoutHash(b));
    }

    private static Object withoutHash(PodTemplateSpec template) {
        ObjectNode tree = template == null ? Json.object() : Json.MAPPER.valueToTree(template);
        if (tree.path("metadata").path("labels") instanceof ObjectNode labels) labels.remove(HASH_LABEL);
        return TemplateHash.canonical(tree);
    }

    /** The oldest ReplicaSet whose template is the Deployment's, or null. */
    public static ReplicaSet findNew(Deployment d, List<ReplicaSet> sets) {
        return sets.stream().sorted(BY_CREATION)
                .filter(rs -> equalIgnoringHash(rs.getSpec().getTemplate(), d.getSpec().getTemplate()))
                .findFirst().orElse(null);
    }

    public static long revision(ReplicaSet rs) {
        String value = rs.getMetadata().getAnnotations() == null ? null : rs.getMetadata().getAnnotations().get(REVISION);
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public static long maxRevision(List<ReplicaSet> sets) {
        return sets.stream().filter(Objects::nonNull).mapToLong(Rollouts::revision).max().orElse(0);
    }

    /** How many replicas the new ReplicaSet may have now: up to maxSurge above the desired count in all (Recreate: all at once). */
    public static int newReplicaSetReplicas(Deployment d, List<ReplicaSet> all, ReplicaSet newRS) {
        if (!isRollingUpdate(d)) return replicas(d);
        int current = specReplicas(all);
        int maxTotal = replicas(d) + maxSurge(d);
        if (current >= maxTotal) return replicas(newRS);
        int up = Math.min(maxTotal - current, replicas(d) - replicas(newRS));
        return replicas(newRS) + up;
    }

    /** The only active ReplicaSet; with none active, the new one or else the newest old one; with several, null. */
    static ReplicaSet activeOrLatest(ReplicaSet newRS, List<ReplicaSet> oldRSs) {
        if (newRS == null && oldRSs.isEmpty()) return null;
        List<ReplicaSet> newestFirst = new ArrayList<>(oldRSs);
        newestFirst.sort(BY_CREATION.reversed());
        List<ReplicaSet> all = new ArrayList<>(newestFirst);
        if (newRS != null) all.add(newRS);
        List<ReplicaSet> active = active(all);
        if (active.isEmpty()) return newRS != null ? newRS : newestFirst.getFirst();
        return active.size() == 1 ? active.getFirst() : null;
    }

    /** The new ReplicaSet has the whole desired count and all of it available. */
    static boolean isSaturated(Deployment d, ReplicaSet rs) {
        if (rs == null) return false;
        String desired = annotation(rs, DESIRED_REPLICAS);
        return desired != null && desired.equals(Integer.toString(replicas(d)))
                && replicas(rs) == replicas(d) && availableReplicas(rs) == replicas(d);
    }

    /** kube's GetProportion: this ReplicaSet's share of {@code toAdd}, bounded by what is left to hand out. */
    static int proportion(ReplicaSet rs, Deployment d, int toAdd, int added) {
        if (rs == null || replicas(rs) == 0 || toAdd == 0 || toAdd == added) return 0;
        int fraction = fraction(rs, d);
        int allowed = toAdd - added;
        return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
    }

    private static int fraction(ReplicaSet rs, Deployment d) {
        if (replicas(d) == 0) return -replicas(rs);
        int deploymentReplicas = replicas(d) + maxSurge(d);
        Integer annotated = intAnnotation(rs, MAX_REPLICAS);
        int base = annotated != null ? annotated : d.getStatus() == null || d.getStatus().getReplicas() == null ? 0 : d.getStatus().getReplicas();
        if (base == 0) return 0;
        double size = (double) replicas(rs) * deploymentReplicas / base;
        return (int) Math.floor(size + 0.5) - replicas(rs);
    }

    // ---------------------------------------------------------------- annotations

    static String annotation(io.fabric8.kubernetes.api.model.HasMetadata o, String key) {
        return o.getMetadata().getAnnotations() == null ? null : o.getMetadata().getAnnotations().get(key);
    }

    private static Integer intAnnotation(ReplicaSet rs, String key) {
        String v = annotation(rs, key);
        try {
            return v == null ? null : Integer.valueOf(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Map<String, String> annotations(io.fabric8.kubernetes.api.model.HasMetadata o) {
        if (o.getMetadata().getAnnotations() == null) o.getMetadata().setAnnotations(new HashMap<>());
        return o.getMetadata().getAnnotations();
    }

    /** Sets desired-replicas and max-replicas; whether they changed. */
    static boolean setReplicasAnnotations(ReplicaSet rs, int desired, int max) {
        Map<String, String> a = annotations(rs);
        boolean changed = false;
        if (!Integer.toString(desired).equals(a.get(DESIRED_REPLICAS))) {
            a.put(DESIRED_REPLICAS, Integer.toString(desired));
            changed = true;
        }
        if (!Integer.toString(max).equals(a.get(MAX_REPLICAS))) {
            a.put(MAX_REPLICAS, Integer.toString(max));
            changed = true;
        }
        return changed;
    }

    /**
     * The new ReplicaSet's annotations: the Deployment's own (less {@link #NOT_COPIED}), the revision
     * raised to {@code newRevision} (the earlier one kept in revision-history when an old ReplicaSet
     * becomes new again, as on a rollback), and for one about to be created the replica annotations.
     */
    static boolean setNewReplicaSetAnnotations(Deployment d, ReplicaSet rs, String newRevision, boolean exists) {
        boolean changed = false;
        Map<String, String> a = annotations(rs);
        if (d.getMetadata().getAnnotations() != null) {
            for (var e : d.getMetadata().getAnnotations().entrySet()) {
                if (NOT_COPIED.contains(e.getKey()) || Objects.equals(a.get(e.getKey()), e.getValue())) continue;
                a.put(e.getKey(), e.getValue());
                changed = true;
            }
        }
        String oldRevision = a.get(REVISION);
        long oldRevisionNumber;
        try {
            oldRevisionNumber = oldRevision == null || oldRevision.isEmpty() ? 0 : Long.parseLong(oldRevision);
        } catch (NumberFormatException e) {
            return false;
        }
        long newRevisionNumber = Long.parseLong(newRevision);
        if (oldRevisionNumber < newRevisionNumber) {
            a.put(REVISION, newRevision);
            changed = true;
            if (oldRevision != null) {
                String history = a.getOrDefault(REVISION_HISTORY, "");
                if (history.isEmpty()) {
                    a.put(REVISION_HISTORY, oldRevision);
                } else {
                    List<String> revisions = new ArrayList<>(List.of(history.split(",")));
                    int total = history.length() + oldRevision.length() + 1;
                    while (total > MAX_REVISION_HISTORY_CHARS && !revisions.isEmpty()) total -= revisions.removeFirst().length() + 1;
                    if (total <= MAX_REVISION_HISTORY_CHARS) {
                        revisions.add(oldRevision);
                        a.put(REVISION_HISTORY, String.join(",", revisions));
                    }
                }
            }
        }
        if (!exists && setReplicasAnnotations(rs, replicas(d), replicas(d) + maxSurge(d))) changed = true;
        return changed;
    }

    // ---------------------------------------------------------------- status and conditions

    public static DeploymentCondition condition(DeploymentStatus status, String type) {
        if (status == null || status.getConditions() == null) return null;
        return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    public static DeploymentCondition newCondition(String type, String status, String reason, String message, Instant now) {
        DeploymentCondition c = new DeploymentCondition();
        c.setType(type);
        c.setStatus(status);
        c.setReason(reason);
        c.setMessage(message);
        c.setLastUpdateTime(Times.format(now));
        c.setLastTransitionTime(Times.format(now));
        return c;
    }

    /** kube's SetDeploymentCondition: same status and reason → unchanged; same status → transition time kept. */
    public static void setCondition(DeploymentStatus status, DeploymentCondition condition) {
        DeploymentCondition current = condition(status, condition.getType());
        if (current != null && Objects.equals(current.getStatus(), condition.getStatus()) && Objects.equals(current.getReason(), condition.getReason())) {
            return;
        }
        if (current != null && Objects.equals(current.getStatus(), condition.getStatus())) {
            condition.setLastTransitionTime(current.getLastTransitionTime());
        }
        removeCondition(status, condition.getType());
        List<DeploymentCondition> conditions = new ArrayList<>(status.getConditions() == null ? List.of() : status.getConditions());
        conditions.add(condition);
        status.setConditions(conditions);
    }

    public static void removeCondition(DeploymentStatus status, String type) {
        if (status.getConditions() == null) return;
        List<DeploymentCondition> conditions = new ArrayList<>(status.getConditions());
        conditions.removeIf(c -> type.equals(c.getType()));
        status.setConditions(conditions);
    }

    /** Every replica updated, present and available, and the spec observed. */
    public static boolean complete(Deployment d, DeploymentStatus s) {
        int want = replicas(d);
        return intOf(s.getUpdatedReplicas()) == want && intOf(s.getReplicas()) == want && intOf(s.getAvailableReplicas()) == want
                && longOf(s.getObservedGeneration()) >= longOf(d.getMetadata().getGeneration());
    }

    /** Whether {@code s} shows progress over the Deployment's recorded status. */
    public static boolean progressing(Deployment d, DeploymentStatus s) {
        DeploymentStatus old = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        int oldOld = intOf(old.getReplicas()) - intOf(old.getUpdatedReplicas());
        int newOld = intOf(s.getReplicas()) - intOf(s.getUpdatedReplicas());
        return intOf(s.getUpdatedReplicas()) > intOf(old.getUpdatedReplicas()) || newOld < oldOld
                || intOf(s.getReadyReplicas()) > intOf(old.getReadyReplicas())
                || intOf(s.getAvailableReplicas()) > intOf(old.getAvailableReplicas());
    }

    /** Whether the Progressing condition was last updated longer than progressDeadlineSeconds before {@code now}. */
    public static boolean timedOut(Deployment d, DeploymentStatus s, Instant now) {
        if (!hasProgressDeadline(d)) return false;
        DeploymentCondition c = condition(s, PROGRESSING);
        if (c == null || NEW_RS_AVAILABLE.equals(c.getReason())) return false;
        if (TIMED_OUT.equals(c.getReason())) return true;
        Instant from = Times.parse(c.getLastUpdateTime());
        return from != null && from.plusSeconds(d.getSpec().getProgressDeadlineSeconds()).isBefore(now);
    }

    static boolean sameStatus(DeploymentStatus a, DeploymentStatus b) {
        if (a == null || b == null) return a == b;
        return Json.MAPPER.valueToTree(normalized(a)).equals(Json.MAPPER.valueToTree(normalized(b)));
    }

    private static DeploymentStatus normalized(DeploymentStatus s) {
        DeploymentStatus copy = Copies.deep(s);
        if (copy.getConditions() != null && copy.getConditions().isEmpty()) copy.setConditions(null);
        for (var setter : List.<java.util.function.Consumer<DeploymentStatus>>of(
                c -> { if (c.getReplicas() == null) c.setReplicas(0); },
                c -> { if (c.getUpdatedReplicas() == null) c.setUpdatedReplicas(0); },
                c -> { if (c.getReadyReplicas() == null) c.setReadyReplicas(0); },
                c -> { if (c.getAvailableReplicas() == null) c.setAvailableReplicas(0); },
                c -> { if (c.getUnavailableReplicas() == null) c.setUnavailableReplicas(0); })) {
            setter.accept(copy);
        }
        return copy;
    }

    static int intOf(Integer i) {
        return i == null ? 0 : i;
    }

    static long longOf(Long l) {
        return l == null ? 0 : l;
    }
}
