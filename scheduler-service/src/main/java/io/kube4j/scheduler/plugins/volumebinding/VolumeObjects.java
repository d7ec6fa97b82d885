package io.kube4j.scheduler.plugins.volumebinding;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;

/**
 * Where {@link VolumeBinding} reads the claims, volumes and storage classes a pod's volumes name.
 *
 * <p>Called once per scheduling cycle of a pod that has claims, from the scheduling thread. Each method answers the
 * current object or null when there is none; a failure to read is an exception (the cycle then fails with an
 * error and the pod is retried).
 */
public interface VolumeObjects {

    /** Knows no object at all: the plugin then skips every pod, as when volume scheduling is off. */
    VolumeObjects NONE = new VolumeObjects() {
        @Override
        public boolean known() {
            return false;
        }

        @Override
        public PersistentVolumeClaim claim(String namespace, String name) {
            return null;
        }

        @Override
        public PersistentVolume volume(String name) {
            return null;
        }

        @Override
        public StorageClass storageClass(String name) {
            return null;
        }
    };

    /** False when this source has no view of the cluster's volumes at all. */
    default boolean known() {
        return true;
    }

    PersistentVolumeClaim claim(String namespace, String name);

    PersistentVolume volume(String name);

    StorageClass storageClass(String name);
}
