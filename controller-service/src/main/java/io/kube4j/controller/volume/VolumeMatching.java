package io.kube4j.controller.volume;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kube4j.controller.daemonset.NodeEligibility;
import io.kube4j.controller.pods.Selectors;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Which PersistentVolume a claim binds to, by kube-controller-manager's rules: a volume whose
 * {@code claimRef} already names the claim is taken at once; otherwise, of the Available volumes
 * bound to no one, with the claim's storageClassName ({@code ""} matching only volumes of no
 * class), its volumeMode, every access mode it asks for, its selector and — when the claim waits
 * for its first consumer — node affinity admitting the consumer's node, the smallest whose
 * capacity covers the request. Pure functions.
 */
public final class VolumeMatching {

    private VolumeMatching() {}

    /** The best volume for {@code claim} among {@code volumes}, or null; {@code node} is the consumer's node, or null for none. */
    public static PersistentVolume best(PersistentVolumeClaim claim, List<PersistentVolume> volumes, Node node) {
        PersistentVolume smallest = null;
        for (PersistentVolume volume : volumes) {
            if (volume.getMetadata().getDeletionTimestamp() != null) continue;
            if (!volumeMode(volume).equals(volumeMode(claim))) continue;
            if (boundTo(volume, claim)) return volume;
            if (!"Available".equals(phase(volume)) || volume.getSpec().getClaimRef() != null) continue;
            if (!satisfies(volume, claim, node)) continue;
            if (smallest == null || capacity(volume).compareTo(capacity(smallest)) < 0) smallest = volume;
        }
        return smallest;
    }

    /** Whether {@code volume} serves {@code claim}: class, access modes, selector, capacity and (with a node) node affinity. */
    public static boolean satisfies(PersistentVolume volume, PersistentVolumeClaim claim, Node node) {
        if (!className(volume).equals(className(claim))) return false;
        List<String> modes = volume.getSpec().getAccessModes() == null ? List.of() : volume.getSpec().getAccessModes();
        if (claim.getSpec().getAccessModes() != null && !modes.containsAll(claim.getSpec().getAccessModes())) return false;
        if (claim.getSpec().getSelector() != null
                && !Selectors.matches(Selectors.of(claim.getSpec().getSelector()), volume.getMetadata().getLabels())) return false;
        if (capacity(volume).compareTo(request(claim)) < 0) return false;
        if (node != null && volume.getSpec().getNodeAffinity() != null && volume.getSpec().getNodeAffinity().getRequired() != null) {
            Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
            if (!NodeEligibility.matches(volume.getSpec().getNodeAffinity().getRequired(), node.getMetadata().getName(), labels)) return false;
        }
        return true;
    }

    /** kube's IsVolumeBoundToClaim: the volume's claimRef names the claim, with its uid or none yet. */
    public static boolean boundTo(PersistentVolume volume, PersistentVolumeClaim claim) {
        var ref = volume.getSpec().getClaimRef();
        if (ref == null) return false;
        if (!claim.getMetadata().getName().equals(ref.getName()) || !claim.getMetadata().getNamespace().equals(ref.getNamespace())) return false;
        return ref.getUid() == null || ref.getUid().isEmpty() || ref.getUid().equals(claim.getMetadata().getUid());
    }

    public static String className(PersistentVolume volume) {
        return volume.getSpec().getStorageClassName() == null ? "" : volume.getSpec().getStorageClassName();
    }

    public static String className(PersistentVolumeClaim claim) {
        return claim.getSpec().getStorageClassName() == null ? "" : claim.getSpec().getStorageClassName();
    }

    public static String phase(PersistentVolume volume) {
        return volume.getStatus() == null || volume.getStatus().getPhase() == null ? "" : volume.getStatus().getPhase();
    }

    static BigDecimal capacity(PersistentVolume volume) {
        Quantity q = volume.getSpec().getCapacity() == null ? null : volume.getSpec().getCapacity().get("storage");
        return q == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q);
    }

    static BigDecimal request(PersistentVolumeClaim claim) {
        var resources = claim.getSpec().getResources();
        Quantity q = resources == null || resources.getRequests() == null ? null : resources.getRequests().get("storage");
        return q == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q);
    }

    private static String volumeMode(PersistentVolume volume) {
        return volume.getSpec().getVolumeMode() == null ? "Filesystem" : volume.getSpec().getVolumeMode();
    }

    private static String volumeMode(PersistentVolumeClaim claim) {
        return claim.getSpec().getVolumeMode() == null ? "Filesystem" : claim.getSpec().getVolumeMode();
    }
}
