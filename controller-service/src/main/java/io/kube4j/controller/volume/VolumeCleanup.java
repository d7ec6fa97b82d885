package io.kube4j.controller.volume;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kube4j.controller.pods.Pods;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Deleting the data of a {@code local-path} volume whose reclaim policy is Delete: the data is a
 * directory on one node, which this service cannot reach, so — as local path provisioners do — a
 * short-lived cleanup pod pinned to that node removes it, and only once that pod has Succeeded is
 * the PersistentVolume deleted. A failed cleanup leaves the volume Failed and the pod in place for
 * {@code kubectl logs}. Pure functions: {@link #decide} says what to do next,
 * {@link #pod} is the pod to run.
 */
public final class VolumeCleanup {

    /** The label naming the volume a cleanup pod works for. */
    public static final String VOLUME_LABEL = "kube4j.io/volume-cleanup";
    private static final String MOUNT = "/volume-parent";

    private VolumeCleanup() {}

    /** The next step for a Released volume whose reclaim policy is Delete. */
    public enum Step {
        /** Nothing on a node to remove (not a provisioned local-path volume, or its node is gone): delete the volume. */
        DELETE_VOLUME,
        /** Start the cleanup pod. */
        START_CLEANUP,
        /** The cleanup pod is still running. */
        WAIT,
        /** The cleanup pod removed the directory: delete the pod and the volume. */
        CLEANED,
        /** The cleanup pod failed: the volume is Failed. */
        FAILED
    }

    /**
     * @param volume     a Released volume with reclaim policy Delete
     * @param cleanupPod its cleanup pod, or null
     * @param nodeExists whether the node the volume is pinned to exists
     * @param baseDir    where the provisioner puts its volumes
     */
    public static Step decide(PersistentVolume volume, Pod cleanupPod, boolean nodeExists, Path baseDir) {
        if (directory(volume, baseDir) == null || node(volume) == null || !nodeExists) return Step.DELETE_VOLUME;
        if (cleanupPod == null) return Step.START_CLEANUP;
        return switch (Pods.phase(cleanupPod)) {
            case "Succeeded" -> Step.CLEANED;
            case "Failed" -> Step.FAILED;
            default -> Step.WAIT;
        };
    }

    /** The cleanup pod's name for {@code volume}. */
    public static String podName(PersistentVolume volume) {
        return "cleanup-" + volume.getMetadata().getName();
    }

    /**
     * The pod that removes the volume's directory on its node: the provisioner's base directory
     * mounted, {@code rm -rf} of the volume's directory in it, no restarts, every taint tolerated,
     * owned by the volume so that it goes with it.
     */
    public static Pod pod(PersistentVolume volume, String namespace, String image, Path baseDir) {
        Path directory = directory(volume, baseDir);
        if (directory == null || node(volume) == null) throw new IllegalArgumentException("not a local-path volume on a node: " + volume.getMetadata().getName());
        return new PodBuilder()
                .withNewMetadata().withNamespace(namespace).withName(podName(volume))
                .withLabels(Map.of(VOLUME_LABEL, volume.getMetadata().getName()))
                .addNewOwnerReference().withApiVersion("v1").withKind("PersistentVolume").withName(volume.getMetadata().getName())
                .withUid(volume.getMetadata().getUid()).endOwnerReference()
                .endMetadata()
                .withNewSpec()
                .withNodeName(node(volume))
                .withRestartPolicy("Never")
                .addNewToleration().withOperator("Exists").endToleration()
                .addNewContainer().withName("cleanup").withImage(image).withImagePullPolicy("IfNotPresent")
                .withCommand("rm", "-rf", MOUNT + "/" + directory.getFileName())
                .addNewVolumeMount().withName("parent").withMountPath(MOUNT).endVolumeMount()
                .endContainer()
                .addNewVolume().withName("parent").withNewHostPath().withPath(directory.getParent().toString()).withType("DirectoryOrCreate")
                .endHostPath().endVolume()
                .endSpec()
                .build();
    }

    /** The node a volume is pinned to by {@code kubernetes.io/hostname} In [one node], or null. */
    static String node(PersistentVolume volume) {
        var affinity = volume.getSpec().getNodeAffinity();
        if (affinity == null || affinity.getRequired() == null) return null;
        List<NodeSelectorTerm> terms = affinity.getRequired().getNodeSelectorTerms();
        if (terms == null || terms.size() != 1 || terms.getFirst().getMatchExpressions() == null) return null;
        for (NodeSelectorRequirement r : terms.getFirst().getMatchExpressions()) {
            if ("kubernetes.io/hostname".equals(r.getKey()) && "In".equals(r.getOperator()) && r.getValues() != null && r.getValues().size() == 1) {
                return r.getValues().getFirst();
            }
        }
        return null;
    }

    /** The volume's directory when this provisioner made the volume and it lies directly in {@code baseDir}, else null. */
    static Path directory(PersistentVolume volume, Path baseDir) {
        var annotations = volume.getMetadata().getAnnotations();
        if (annotations == null || !LocalPathProvisioner.PROVISIONER.equals(annotations.get(LocalPathProvisioner.PROVISIONED_BY))) return null;
        if (volume.getSpec().getHostPath() == null || volume.getSpec().getHostPath().getPath() == null) return null;
        Path path = Path.of(volume.getSpec().getHostPath().getPath()).normalize();
        return baseDir.normalize().equals(path.getParent()) ? path : null;
    }
}
