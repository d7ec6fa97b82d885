package io.kube4j.node.volume;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The PersistentVolume behind a pod's {@code persistentVolumeClaim} volume: the claim's
 * {@code spec.volumeName}, read when the pod's volumes are set up. Thread-safe.
 */
@FunctionalInterface
public interface ClaimedVolumes {

    /**
     * The volume bound to the claim {@code namespace/claim}.
     *
     * @throws VolumeManager.VolumeError when the claim does not exist or is not bound yet (the pod waits and tries again)
     */
    PersistentVolume volumeOf(String namespace, String claim);

    /** No claims on this node: every claimed volume is an error. */
    ClaimedVolumes NONE = (namespace, claim) -> {
        throw new VolumeManager.VolumeError("persistentvolumeclaim \"" + claim + "\" cannot be resolved on this node");
    };

    /** Through the gateway: the claim, then the volume it names. */
    static ClaimedVolumes gateway(KubernetesClient client) {
        return (namespace, claim) -> {
            PersistentVolumeClaim pvc = client.persistentVolumeClaims().inNamespace(namespace).withName(claim).get();
            if (pvc == null) throw new VolumeManager.VolumeError("persistentvolumeclaim \"" + claim + "\" not found");
            String name = pvc.getSpec().getVolumeName();
            if (name == null || name.isEmpty()) throw new VolumeManager.VolumeError("persistentvolumeclaim \"" + claim + "\" is not bound");
            PersistentVolume pv = client.persistentVolumes().withName(name).get();
            if (pv == null) throw new VolumeManager.VolumeError("persistentvolume \"" + name + "\" not found");
            return pv;
        };
    }
}
