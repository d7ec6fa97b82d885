package io.kube4j.controller.pods;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Removes a pod at once (grace period 0), without waiting for its node to stop it: for a pod bound
 * to a node that no longer exists, whose agent will never confirm the deletion.
 * Removing a pod that is already gone is not an error. Thread-safe.
 */
@FunctionalInterface
public interface PodRemover {

    void remove(Pod pod);

    /** Through the gateway: a delete with {@code gracePeriodSeconds=0} guarded by the pod's uid. */
    static PodRemover gateway(KubernetesClient client) {
        return pod -> {
            try {
                client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).withGracePeriod(0).delete();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) throw e;
            }
        };
    }
}
