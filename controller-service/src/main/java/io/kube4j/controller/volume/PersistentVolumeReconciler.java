package io.kube4j.controller.volume;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.PersistentVolumeStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.kube4j.controller.pods.Copies;
import io.kube4j.controller.pods.Pods;
import io.kube4j.machinery.client.ObjectClient;
import io.kube4j.machinery.controller.Reconciler;
import io.kube4j.machinery.controller.Result;
import io.kube4j.machinery.events.EventRecorder;
import io.kube4j.machinery.informer.Cache;
import io.kube4j.machinery.informer.ObjectKeys;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * kube-controller-manager's {@code persistentvolume-binder} with a local dynamic provisioner.
 * Keys are {@code claim:namespace/name}, {@code volume:name} and {@code class:local-path}.
 *
 * <p>A claim without a volume binds to the volume {@link VolumeMatching} picks, or — when its
 * class is served by the {@link LocalPathProvisioner} — to a volume provisioned for it; a claim
 * of a WaitForFirstConsumer class waits until a pod that uses it is on a node (or the claim
 * names the node in {@value #SELECTED_NODE}). Binding writes the volume first ({@code claimRef},
 * phase Bound), then the claim ({@code volumeName}, phase Bound with the volume's capacity and
 * access modes), so a crash between leaves a volume that the next pass finishes binding. A
 * claim whose volume disappears is Lost. A volume bound to no claim is Available; one whose claim
 * is gone is Released and then kept (Retain) or deleted (Delete: a {@code local-path} volume's
 * directory is removed on its node first, see {@link VolumeCleanup}).
 *
 * <p>It also runs pvc-protection and pv-protection: a claim being deleted loses its
 * {@value #PVC_PROTECTION} finalizer once no unfinished pod uses it, a volume being deleted its
 * {@value #PV_PROTECTION} finalizer once it is not Bound.
 *
 * <p>Idempotent; every write is guarded by resourceVersion; a key is never reconciled by two
 * threads at once, but a claim and its volume may be: each side only finishes what the other
 * started.
 */
public final class PersistentVolumeReconciler implements Reconciler {

    public static final String CLAIM = "claim:";
    public static final String VOLUME = "volume:";
    public static final String CLASS = "class:";
    static final String SELECTED_NODE = "volume.kubernetes.io/selected-node";
    static final String BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
    static final String BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
    /** The finalizers the gateway puts on every claim and volume (StorageObjectInUseProtection). */
    public static final String PVC_PROTECTION = "kubernetes.io/pvc-protection";
    public static final String PV_PROTECTION = "kubernetes.io/pv-protection";

    private final Cache<PersistentVolumeClaim> claims;
    private final Cache<PersistentVolume> volumes;
    private final Cache<StorageClass> classes;
    private final Cache<Pod> pods;
    private final Cache<Node> nodes;
    private final ObjectClient objects;
    private final EventRecorder events;
    private final VolumeProperties properties;
    private final Clock clock;

    public PersistentVolumeReconciler(Cache<PersistentVolumeClaim> claims, Cache<PersistentVolume> volumes, Cache<StorageClass> classes,
                                      Cache<Pod> pods, Cache<Node> nodes, ObjectClient objects, EventRecorder events, VolumeProperties properties,
                                      Clock clock) {
        this.claims = claims;
        this.volumes = volumes;
        this.classes = classes;
        this.pods = pods;
        this.nodes = nodes;
        this.objects = objects;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public Result reconcile(String key) {
        if (key.startsWith(CLAIM)) claims.get(key.substring(CLAIM.length())).ifPresent(this::syncClaim);
        else if (key.startsWith(VOLUME)) volumes.get(key.substring(VOLUME.length())).ifPresent(this::syncVolume);
        else if (key.equals(CLASS + LocalPathProvisioner.CLASS_NAME)) ensureDefaultClass();
        return Result.DONE;
    }

    private void ensureDefaultClass() {
        if (!properties.defaultClass() || classes.get(LocalPathProvisioner.CLASS_NAME).isPresent()) return;
        try {
            objects.create(LocalPathProvisioner.defaultClass());
        } catch (RuntimeException e) {
            if (!ObjectClient.isConflict(e)) throw e;
        }
    }

    private void syncClaim(PersistentVolumeClaim claim) {
        if (claim.getMetadata().getDeletionTimestamp() != null) {
            releaseClaimProtection(claim);
            return;
        }
        String volumeName = claim.getSpec().getVolumeName();
        if (volumeName == null || volumeName.isEmpty()) {
            syncUnboundClaim(claim);
            return;
        }
        PersistentVolume volume = volumes.get(volumeName).orElse(null);
        if (volume == null) {
            if ("Bound".equals(phase(claim))) {
                setClaimPhase(claim, "Lost");
                events.event(claim, EventRecorder.WARNING, "ClaimLost", "Bound claim has lost its PersistentVolume. Data on the volume is lost!");
            }
            return;
        }
        if (volume.getSpec().getClaimRef() == null) {
            if (VolumeMatching.satisfies(volume, claim, null)) bind(volume, claim);
            else events.event(claim, EventRecorder.WARNING, "FailedBinding", "Cannot bind to requested volume \"" + volumeName
                    + "\": requested PV is too small or its storage class, access modes or selector do not match");
        } else if (VolumeMatching.boundTo(volume, claim)) {
            bind(volume, claim);
        } else {
            events.event(claim, EventRecorder.WARNING, "FailedBinding", "volume \"" + volumeName + "\" already bound to a different claim.");
        }
    }

    private void syncUnboundClaim(PersistentVolumeClaim claim) {
        String className = VolumeMatching.className(claim);
        StorageClass storageClass = className.isEmpty() ? null : classes.get(className).orElse(null);
        Node node = null;
        if (LocalPathProvisioner.waitsForConsumer(storageClass)) {
            String nodeName = consumerNode(claim);
            if (nodeName == null) {
                ensurePending(claim);
                events.event(claim, EventRecorder.NORMAL, "WaitForFirstConsumer", "waiting for first consumer to be created before binding");
                return;
            }
            node = nodes.get(nodeName).orElse(new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata().withName(nodeName)
                    .addToLabels("kubernetes.io/hostname", nodeName).endMetadata().build());
        }
        PersistentVolume volume = VolumeMatching.best(claim, volumes.list(), node);
        if (volume == null && LocalPathProvisioner.serves(storageClass)) {
            PersistentVolume wanted = LocalPathProvisioner.volumeFor(claim, storageClass,
                    node == null ? null : node.getMetadata().getName(), properties.localPathDir());
            volume = volumes.get(wanted.getMetadata().getName()).orElse(null);
            if (volume == null) {
                try {
                    volume = objects.create(wanted);
                } catch (RuntimeException e) {
                    if (!ObjectClient.isConflict(e)) {
                        events.event(claim, EventRecorder.WARNING, "ProvisioningFailed", "failed to provision volume with StorageClass \""
                                + className + "\": " + e.getMessage());
                        throw e;
                    }
                    volume = objects.get(PersistentVolume.class, null, wanted.getMetadata().getName()).orElseThrow(() -> e);
                }
                events.event(claim, EventRecorder.NORMAL, "ProvisioningSucceeded", "Successfully provisioned volume "
                        + volume.getMetadata().getName() + " using " + LocalPathProvisioner.PROVISIONER);
            }
        }
        if (volume == null) {
            ensurePending(claim);
            if (storageClass == null && !className.isEmpty()) {
                events.event(claim, EventRecorder.WARNING, "ProvisioningFailed", "storageclass.storage.k8s.io \"" + className + "\" not found");
            } else if (storageClass != null && !"kubernetes.io/no-provisioner".equals(storageClass.getProvisioner())) {
                events.event(claim, EventRecorder.NORMAL, "ExternalProvisioning", "Waiting for a volume to be created either by the external provisioner '"
                        + storageClass.getProvisioner() + "' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.");
            } else {
                events.event(claim, EventRecorder.NORMAL, "FailedBinding", "no persistent volumes available for this claim and no storage class is set");
            }
            return;
        }
        bind(volume, claim);
    }

    /** The node of a pod that uses the claim (the scheduler's choice when the claim names one), or null. */
    private String consumerNode(PersistentVolumeClaim claim) {
        Map<String, String> annotations = claim.getMetadata().getAnnotations();
        if (annotations != null && annotations.get(SELECTED_NODE) != null && !annotations.get(SELECTED_NODE).isEmpty()) {
            return annotations.get(SELECTED_NODE);
        }
        for (Pod pod : pods.list(claim.getMetadata().getNamespace())) {
            if (!Pods.isActive(pod) || !Pods.isAssigned(pod) || !uses(pod, claim.getMetadata().getName())) continue;
            return pod.getSpec().getNodeName();
        }
        return null;
    }

    static boolean uses(Pod pod, String claimName) {
        if (pod.getSpec() == null || pod.getSpec().getVolumes() == null) return false;
        for (Volume v : pod.getSpec().getVolumes()) {
            if (v.getPersistentVolumeClaim() != null && claimName.equals(v.getPersistentVolumeClaim().getClaimName())) return true;
        }
        return false;
    }

    /** Binds both sides, volume first; each write only where the object does not yet say it. */
    private void bind(PersistentVolume volume, PersistentVolumeClaim claim) {
        PersistentVolume bound = volume;
        var ref = volume.getSpec().getClaimRef();
        if (ref == null || !claim.getMetadata().getUid().equals(ref.getUid())) {
            PersistentVolume copy = Copies.deep(volume);
            copy.getSpec().setClaimRef(new ObjectReferenceBuilder().withApiVersion("v1").withKind("PersistentVolumeClaim")
                    .withNamespace(claim.getMetadata().getNamespace()).withName(claim.getMetadata().getName())
                    .withUid(claim.getMetadata().getUid()).withResourceVersion(claim.getMetadata().getResourceVersion()).build());
            if (ref == null) annotate(copy.getMetadata(), BOUND_BY_CONTROLLER, "yes");
            bound = objects.update(copy);
        }
        if (!"Bound".equals(VolumeMatching.phase(bound))) bound = setVolumePhase(bound, "Bound", null);

        PersistentVolumeClaim claimed = claim;
        if (!volume.getMetadata().getName().equals(claim.getSpec().getVolumeName())
                || claim.getMetadata().getAnnotations() == null || !"yes".equals(claim.getMetadata().getAnnotations().get(BIND_COMPLETED))) {
            PersistentVolumeClaim copy = Copies.deep(claim);
            if (!volume.getMetadata().getName().equals(copy.getSpec().getVolumeName())) {
                copy.getSpec().setVolumeName(volume.getMetadata().getName());
                annotate(copy.getMetadata(), BOUND_BY_CONTROLLER, "yes");
            }
            annotate(copy.getMetadata(), BIND_COMPLETED, "yes");
            claimed = objects.update(copy);
        }
        PersistentVolumeClaimStatus status = claimed.getStatus() == null ? new PersistentVolumeClaimStatus() : Copies.deep(claimed.getStatus());
        status.setPhase("Bound");
        status.setAccessModes(bound.getSpec().getAccessModes());
        status.setCapacity(bound.getSpec().getCapacity());
        if (!Objects.equals(status, claimed.getStatus())) {
            PersistentVolumeClaim copy = Copies.deep(claimed);
            copy.setStatus(status);
            objects.updateStatus(copy);
        }
    }

    private void syncVolume(PersistentVolume volume) {
        if (volume.getMetadata().getDeletionTimestamp() != null) {
            // pv-protection: a volume being deleted goes once no claim is bound to it.
            if (!"Bound".equals(VolumeMatching.phase(volume))) removeFinalizer(volume, PV_PROTECTION);
            return;
        }
        var ref = volume.getSpec().getClaimRef();
        if (ref == null || ref.getUid() == null || ref.getUid().isEmpty()) {
            // Unbound, or pre-bound by its author to a claim that has not yet come.
            if (!"Available".equals(VolumeMatching.phase(volume))) setVolumePhase(volume, "Available", null);
            return;
        }
        PersistentVolumeClaim claim = claims.get(ObjectKeys.key(ref.getNamespace(), ref.getName()))
                .filter(c -> ref.getUid().equals(c.getMetadata().getUid())).orElse(null);
        if (claim == null) {
            // The cache may lag behind a claim that was just made: ask the gateway before releasing.
            claim = objects.get(PersistentVolumeClaim.class, ref.getNamespace(), ref.getName())
                    .filter(c -> ref.getUid().equals(c.getMetadata().getUid())).orElse(null);
        }
        if (claim != null) {
            String claimVolume = claim.getSpec().getVolumeName();
            if (claimVolume == null || claimVolume.isEmpty() || claimVolume.equals(volume.getMetadata().getName())) {
                if (claimVolume != null && !claimVolume.isEmpty() && !"Bound".equals(VolumeMatching.phase(volume))) setVolumePhase(volume, "Bound", null);
                return;
            }
            // The claim went to another volume: a binding this controller made is undone.
            if (volume.getMetadata().getAnnotations() != null && "yes".equals(volume.getMetadata().getAnnotations().get(BOUND_BY_CONTROLLER))) {
                PersistentVolume copy = Copies.deep(volume);
                copy.getSpec().setClaimRef(null);
                copy.getMetadata().getAnnotations().remove(BOUND_BY_CONTROLLER);
                setVolumePhase(objects.update(copy), "Available", null);
            }
            return;
        }
        String phase = VolumeMatching.phase(volume);
        if (!"Released".equals(phase) && !"Failed".equals(phase)) volume = setVolumePhase(volume, "Released", null);
        if ("Failed".equals(phase)) return;
        String policy = volume.getSpec().getPersistentVolumeReclaimPolicy() == null ? "Retain" : volume.getSpec().getPersistentVolumeReclaimPolicy();
        switch (policy) {
            case "Delete" -> reclaimByDeleting(volume, ref.getNamespace() + "/" + ref.getName());
            case "Recycle" -> {
                setVolumePhase(volume, "Failed", "Recycle is not supported: delete the volume's data and its claimRef by hand");
                events.event(volume, EventRecorder.WARNING, "VolumeFailedRecycle", "Recycle is not supported");
            }
            default -> { }
        }
    }

    /** Delete: a local-path volume's directory is removed on its node by a cleanup pod first, then the volume goes. */
    private void reclaimByDeleting(PersistentVolume volume, String claim) {
        String podName = VolumeCleanup.podName(volume);
        Pod cleanup = pods.get(ObjectKeys.key(properties.cleanupNamespace(), podName)).orElse(null);
        String node = VolumeCleanup.node(volume);
        boolean nodeExists = node != null && nodes.get(node).isPresent();
        switch (VolumeCleanup.decide(volume, cleanup, nodeExists, properties.localPathDir())) {
            case DELETE_VOLUME -> deleteVolume(volume, claim);
            case START_CLEANUP -> {
                try {
                    objects.create(VolumeCleanup.pod(volume, properties.cleanupNamespace(), properties.cleanupImage(), properties.localPathDir()));
                } catch (RuntimeException e) {
                    if (!ObjectClient.isConflict(e)) throw e;
                }
            }
            case WAIT -> { }
            case CLEANED -> {
                deleteVolume(volume, claim);
                deleteQuietly(cleanup);
            }
            case FAILED -> {
                String message = "the cleanup pod " + properties.cleanupNamespace() + "/" + podName + " could not remove "
                        + volume.getSpec().getHostPath().getPath() + " on node " + node;
                setVolumePhase(volume, "Failed", message);
                events.event(volume, EventRecorder.WARNING, "VolumeFailedDelete", message);
            }
        }
    }

    private void deleteVolume(PersistentVolume volume, String claim) {
        objects.delete(PersistentVolume.class, null, volume.getMetadata().getName(), volume.getMetadata().getUid(), null);
        events.event(volume, EventRecorder.NORMAL, "VolumeDelete", "Deleted volume " + volume.getMetadata().getName()
                + " whose claim " + claim + " is gone");
    }

    private void deleteQuietly(Pod pod) {
        try {
            objects.delete(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName(), pod.getMetadata().getUid(), null);
        } catch (RuntimeException e) {
            if (!ObjectClient.isNotFound(e) && !ObjectClient.isConflict(e)) throw e;
        }
    }

    /**
     * pvc-protection: a claim being deleted keeps its finalizer while a pod that is not finished
     * still names it (a pod being deleted still does, until it is gone).
     */
    private void releaseClaimProtection(PersistentVolumeClaim claim) {
        if (!hasFinalizer(claim.getMetadata().getFinalizers(), PVC_PROTECTION)) return;
        for (Pod pod : pods.list(claim.getMetadata().getNamespace())) {
            String phase = Pods.phase(pod);
            if (!"Succeeded".equals(phase) && !"Failed".equals(phase) && uses(pod, claim.getMetadata().getName())) return;
        }
        removeFinalizer(claim, PVC_PROTECTION);
    }

    private static boolean hasFinalizer(java.util.List<String> finalizers, String finalizer) {
        return finalizers != null && finalizers.contains(finalizer);
    }

    private <T extends io.fabric8.kubernetes.api.model.HasMetadata> void removeFinalizer(T object, String finalizer) {
        if (!hasFinalizer(object.getMetadata().getFinalizers(), finalizer)) return;
        T copy = Copies.deep(object);
        copy.getMetadata().setFinalizers(new java.util.ArrayList<>(copy.getMetadata().getFinalizers()));
        copy.getMetadata().getFinalizers().remove(finalizer);
        try {
            objects.update(copy);
        } catch (RuntimeException e) {
            if (!ObjectClient.isNotFound(e)) throw e;
        }
    }

    private void ensurePending(PersistentVolumeClaim claim) {
        if (!"Pending".equals(phase(claim))) setClaimPhase(claim, "Pending");
    }

    private PersistentVolume setVolumePhase(PersistentVolume volume, String phase, String message) {
        PersistentVolume copy = Copies.deep(volume);
        PersistentVolumeStatus status = copy.getStatus() == null ? new PersistentVolumeStatus() : copy.getStatus();
        status.setPhase(phase);
        status.setMessage(message);
        status.setLastPhaseTransitionTime(io.kube4j.controller.pods.Times.format(clock.instant()));
        copy.setStatus(status);
        return objects.updateStatus(copy);
    }

    private void setClaimPhase(PersistentVolumeClaim claim, String phase) {
        PersistentVolumeClaim copy = Copies.deep(claim);
        PersistentVolumeClaimStatus status = copy.getStatus() == null ? new PersistentVolumeClaimStatus() : copy.getStatus();
        status.setPhase(phase);
        copy.setStatus(status);
        objects.updateStatus(copy);
    }

    private static void annotate(io.fabric8.kubernetes.api.model.ObjectMeta meta, String key, String value) {
        Map<String, String> annotations = new HashMap<>(meta.getAnnotations() == null ? Map.of() : meta.getAnnotations());
        annotations.put(key, value);
        meta.setAnnotations(annotations);
    }

    private static String phase(PersistentVolumeClaim claim) {
        return claim.getStatus() == null || claim.getStatus().getPhase() == null ? "" : claim.getStatus().getPhase();
    }
}
