package io.kube4j.controller.endpoints;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.kube4j.controller.runtime.EnqueueHandler;
import io.kube4j.machinery.controller.Controller;
import io.kube4j.machinery.informer.Cache;
import io.kube4j.machinery.informer.ObjectKeys;

import java.util.Map;
import java.util.Objects;

/** Handlers both endpoint controllers share: a service's own changes, and a pod's changes for every service that selects it. They only enqueue service keys. */
final class ServicePodHandlers {

    private ServicePodHandlers() {
    }

    static ResourceEventHandler<Service> services(Controller controller) {
        return EnqueueHandler.forObject(controller);
    }

    static ResourceEventHandler<Pod> pods(Controller controller, Cache<Service> services) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                enqueueSelecting(pod, pod.getMetadata().getLabels());
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                if (!relevantChange(old, pod)) return;
                enqueueSelecting(pod, pod.getMetadata().getLabels());
                if (!Objects.equals(old.getMetadata().getLabels(), pod.getMetadata().getLabels())) {
                    enqueueSelecting(old, old.getMetadata().getLabels());
                }
            }

            @Override
            public void onDelete(Pod pod, boolean unknown) {
                enqueueSelecting(pod, pod.getMetadata().getLabels());
            }

            private void enqueueSelecting(Pod pod, Map<String, String> labels) {
                for (Service service : services.list(pod.getMetadata().getNamespace())) {
                    if (PodEndpoints.selects(service, labels)) controller.enqueue(ObjectKeys.key(service));
                }
            }
        };
    }

    /** Whether a pod's update can change endpoints: labels, IPs, readiness, deletion, phase, node, hostname or ports. */
    static boolean relevantChange(Pod old, Pod pod) {
        return !Objects.equals(old.getMetadata().getLabels(), pod.getMetadata().getLabels())
                || !Objects.equals(PodEndpoints.ip(old), PodEndpoints.ip(pod))
                || PodEndpoints.isReady(old) != PodEndpoints.isReady(pod)
                || !Objects.equals(old.getMetadata().getDeletionTimestamp(), pod.getMetadata().getDeletionTimestamp())
                || !Objects.equals(old.getStatus() == null ? null : old.getStatus().getPhase(), pod.getStatus() == null ? null : pod.getStatus().getPhase())
                || !Objects.equals(old.getSpec(), pod.getSpec());
    }
}
