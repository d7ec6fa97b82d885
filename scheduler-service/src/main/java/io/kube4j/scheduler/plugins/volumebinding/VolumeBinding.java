package io.kube4j.scheduler.plugins.volumebinding;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.kube4j.scheduler.framework.ClusterEvent;
import io.kube4j.scheduler.framework.ClusterView;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.FilterPlugin;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.NodeSelectorMatcher;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.PreFilterPlugin;
import io.kube4j.scheduler.framework.PreFilterResult;
import io.kube4j.scheduler.framework.Status;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * PreFilter + Filter: a pod's claims decide where it may run, as kube-scheduler's {@code VolumeBinding} does for
 * volumes that are already bound.
 *
 * <ul>
 *   <li>A claim that does not exist, or is being deleted, rejects the pod on every node (UnschedulableAndUnresolvable,
 *       {@code persistentvolumeclaim "x" not found}).</li>
 *   <li>A claim bound to a volume with {@code spec.nodeAffinity.required} lets the pod only onto nodes matching it
 *       ({@code node(s) had volume node affinity conflict}); a volume that is gone rejects every node
 *       ({@code node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)}).</li>
 *   <li>An unbound claim of a {@code WaitForFirstConsumer} class does not block: its volume is provisioned where
 *       the pod lands. An unbound claim of an {@code Immediate} class (or of none) waits for the binder
 *       ({@code pod has unbound immediate PersistentVolumeClaims}).</li>
 * </ul>
 * Pods without claims are skipped. Ephemeral volumes name the claim {@code <pod>-<volume>}.
 */
public final class VolumeBinding implements PreFilterPlugin, FilterPlugin {

    public static final String NAME = "VolumeBinding";
    public static final String NODE_CONFLICT = "node(s) had volume node affinity conflict";
    public static final String PV_NOT_EXIST = "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";
    public static final String UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims";
    private static final String STATE_KEY = NAME + "/boundVolumes";

    /** What PreFilter found: the node constraints of the bound volumes, and whether one of them is missing. */
    private record Bound(List<NodeSelectorMatcher> affinities, boolean missingVolume) {
    }

    private final VolumeObjects objects;

    public VolumeBinding(VolumeObjects objects) {
        this.objects = objects;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<ClusterEvent> eventsToRegister() {
        // Claims and volumes come without events of their own here: a rejected pod is retried on node changes
        // and on the queue's periodic flush of unschedulable pods.
        return EnumSet.of(ClusterEvent.NODE_ADD, ClusterEvent.NODE_UPDATE);
    }

    @Override
    public PreFilterResult preFilter(CycleState state, PodInfo pod, ClusterView cluster) {
        List<String> claims = claimNames(pod);
        if (claims.isEmpty() || !objects.known()) return PreFilterResult.SKIP;
        List<NodeSelectorMatcher> affinities = new ArrayList<>();
        boolean missingVolume = false;
        for (String name : claims) {
            PersistentVolumeClaim claim = objects.claim(pod.namespace(), name);
            if (claim == null) return PreFilterResult.of(Status.unresolvable("persistentvolumeclaim \"" + name + "\" not found"));
            if (claim.getMetadata().getDeletionTimestamp() != null) {
                return PreFilterResult.of(Status.unresolvable("persistentvolumeclaim \"" + name + "\" is being deleted"));
            }
            String volumeName = claim.getSpec() == null ? null : claim.getSpec().getVolumeName();
            if (volumeName == null || volumeName.isEmpty()) {
                if (!delayedBinding(claim)) return PreFilterResult.of(Status.unresolvable(UNBOUND_IMMEDIATE));
                continue;
            }
            PersistentVolume volume = objects.volume(volumeName);
            if (volume == null) {
                missingVolume = true;
                continue;
            }
            var affinity = volume.getSpec() == null ? null : volume.getSpec().getNodeAffinity();
            if (affinity != null && affinity.getRequired() != null) affinities.add(NodeSelectorMatcher.of(affinity.getRequired()));
        }
        if (affinities.isEmpty() && !missingVolume) return PreFilterResult.SKIP;
        state.write(STATE_KEY, new Bound(List.copyOf(affinities), missingVolume));
        return PreFilterResult.SUCCESS;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        Bound bound = state.read(STATE_KEY);
        if (bound == null) return Status.SUCCESS;
        if (bound.missingVolume()) return Status.unresolvable(PV_NOT_EXIST);
        for (NodeSelectorMatcher affinity : bound.affinities()) {
            if (!affinity.matches(node.name(), node.labels())) return Status.unresolvable(NODE_CONFLICT);
        }
        return Status.SUCCESS;
    }

    private boolean delayedBinding(PersistentVolumeClaim claim) {
        String className = claim.getSpec() == null ? null : claim.getSpec().getStorageClassName();
        if (className == null || className.isEmpty()) return false;
        StorageClass storageClass = objects.storageClass(className);
        return storageClass != null && "WaitForFirstConsumer".equals(storageClass.getVolumeBindingMode());
    }

    /** The claims the pod's volumes name, in order, each once. */
    static List<String> claimNames(PodInfo pod) {
        List<Volume> volumes = pod.pod().getSpec() == null ? null : pod.pod().getSpec().getVolumes();
        List<String> out = new ArrayList<>();
        if (volumes == null) return out;
        for (Volume v : volumes) {
            String name = null;
            if (v.getPersistentVolumeClaim() != null) name = v.getPersistentVolumeClaim().getClaimName();
            else if (v.getEphemeral() != null) name = pod.name() + "-" + v.getName();
            if (name != null && !name.isEmpty() && !out.contains(name)) out.add(name);
        }
        return out;
    }
}
