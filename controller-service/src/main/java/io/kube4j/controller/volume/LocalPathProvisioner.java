package io.kube4j.controller.volume;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;

import java.nio.file.Path;
import java.util.Map;

/**
 * The dynamic provisioner behind the default StorageClass {@value #CLASS_NAME}: a claim of a
 * class whose provisioner is {@value #PROVISIONER} gets a hostPath volume named
 * {@code pvc-{claim uid}} at {@code {baseDir}/{namespace}_{claim}_{volume}} (created by the node
 * agent when a pod mounts it), of the claim's size and access modes, with the class's reclaim
 * policy, pre-bound to the claim; for a class that waits for the first consumer, it is pinned by
 * node affinity ({@code kubernetes.io/hostname}) to the node of the pod that uses the claim.
 * Pure functions.
 */
public final class LocalPathProvisioner {

    public static final String PROVISIONER = "kube4j.io/local-path";
    public static final String CLASS_NAME = "local-path";
    public static final String DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
    static final String PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";

    private LocalPathProvisioner() {}

    /** The default StorageClass this service makes sure exists: Delete, WaitForFirstConsumer, the default class. */
    public static StorageClass defaultClass() {
        return new StorageClassBuilder()
                .withNewMetadata().withName(CLASS_NAME).withAnnotations(Map.of(DEFAULT_CLASS_ANNOTATION, "true")).endMetadata()
                .withProvisioner(PROVISIONER)
                .withReclaimPolicy("Delete")
                .withVolumeBindingMode("WaitForFirstConsumer")
                .build();
    }

    /** The volume for {@code claim} of {@code storageClass}, on {@code node} (null when the class binds immediately). */
    public static PersistentVolume volumeFor(PersistentVolumeClaim claim, StorageClass storageClass, String node, Path baseDir) {
        String name = "pvc-" + claim.getMetadata().getUid();
        String path = baseDir.resolve(claim.getMetadata().getNamespace() + "_" + claim.getMetadata().getName() + "_" + name).toString();
        Quantity size = claim.getSpec().getResources().getRequests().get("storage");
        var builder = new PersistentVolumeBuilder()
                .withNewMetadata().withName(name).withAnnotations(Map.of(PROVISIONED_BY, PROVISIONER)).endMetadata()
                .withNewSpec()
                .withCapacity(Map.of("storage", size))
                .withAccessModes(claim.getSpec().getAccessModes())
                .withVolumeMode(claim.getSpec().getVolumeMode())
                .withStorageClassName(storageClass.getMetadata().getName())
                .withPersistentVolumeReclaimPolicy(storageClass.getReclaimPolicy() == null ? "Delete" : storageClass.getReclaimPolicy())
                .withMountOptions(storageClass.getMountOptions())
                .withNewHostPath().withPath(path).withType("DirectoryOrCreate").endHostPath()
                .withNewClaimRef().withApiVersion("v1").withKind("PersistentVolumeClaim")
                .withNamespace(claim.getMetadata().getNamespace()).withName(claim.getMetadata().getName())
                .withUid(claim.getMetadata().getUid()).withResourceVersion(claim.getMetadata().getResourceVersion()).endClaimRef()
                .endSpec();
        if (node != null) {
            builder.editSpec().withNewNodeAffinity().withNewRequired().addNewNodeSelectorTerm().addNewMatchExpression()
                    .withKey("kubernetes.io/hostname").withOperator("In").withValues(node).endMatchExpression()
                    .endNodeSelectorTerm().endRequired().endNodeAffinity().endSpec();
        }
        return builder.build();
    }

    /** Whether this provisioner serves {@code storageClass}. */
    public static boolean serves(StorageClass storageClass) {
        return storageClass != null && PROVISIONER.equals(storageClass.getProvisioner());
    }

    /** Whether {@code storageClass} delays binding until a pod uses the claim. */
    public static boolean waitsForConsumer(StorageClass storageClass) {
        return storageClass != null && "WaitForFirstConsumer".equals(storageClass.getVolumeBindingMode());
    }
}
