package io.kube4j.scheduler.plugins.volumebinding;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The claims, volumes and classes read from the gateway when a pod needs them. Only pods with claims pay for
 * the reads (a few GETs per cycle), which keeps three more informers out of a scheduler whose pods rarely
 * have claims; reading the current object also avoids deciding on a claim the binder has just bound.
 * Thread-safe.
 */
public final class GatewayVolumeObjects implements VolumeObjects {

    private final KubernetesClient client;

    public GatewayVolumeObjects(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public PersistentVolumeClaim claim(String namespace, String name) {
        return client.persistentVolumeClaims().inNamespace(namespace).withName(name).get();
    }

    @Override
    public PersistentVolume volume(String name) {
        return client.persistentVolumes().withName(name).get();
    }

    @Override
    public StorageClass storageClass(String name) {
        return client.storage().v1().storageClasses().withName(name).get();
    }
}
