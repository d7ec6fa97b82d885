package io.kube4j.controller.autoscaling;

import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Scalable;

/**
 * The {@code scale} subresource of an autoscaler's target — Deployment, ReplicaSet, StatefulSet
 * or ReplicationController — read for its replicas and pod selector, written for the new size.
 * Thread-safe; errors are the gateway's exceptions (404 for a missing target,
 * {@link IllegalArgumentException} for a kind without a scale subresource here).
 */
public interface TargetScale {

    /** The target's size and the selector of its pods, as the scale's {@code status.selector} says it. */
    record Current(int replicas, String selector) {}

    Current get(String namespace, CrossVersionObjectReference target);

    void set(String namespace, CrossVersionObjectReference target, int replicas);

    static TargetScale gateway(KubernetesClient client) {
        return new TargetScale() {
            @Override
            public Current get(String namespace, CrossVersionObjectReference target) {
                Scale scale = scalable(namespace, target).scale();
                if (scale == null) throw new IllegalStateException(target.getKind() + " \"" + target.getName() + "\" not found");
                return new Current(scale.getSpec() == null || scale.getSpec().getReplicas() == null ? 0 : scale.getSpec().getReplicas(),
                        scale.getStatus() == null ? null : scale.getStatus().getSelector());
            }

            @Override
            public void set(String namespace, CrossVersionObjectReference target, int replicas) {
                Scalable<?> scalable = scalable(namespace, target);
                Scale scale = scalable.scale();
                scale.getSpec().setReplicas(replicas);
                scalable.scale(scale);
            }

            private Scalable<?> scalable(String namespace, CrossVersionObjectReference target) {
                return switch (target.getKind()) {
                    case "Deployment" -> client.apps().deployments().inNamespace(namespace).withName(target.getName());
                    case "ReplicaSet" -> client.apps().replicaSets().inNamespace(namespace).withName(target.getName());
                    case "StatefulSet" -> client.apps().statefulSets().inNamespace(namespace).withName(target.getName());
                    case "ReplicationController" -> client.replicationControllers().inNamespace(namespace).withName(target.getName());
                    default -> throw new IllegalArgumentException("the autoscaler cannot scale a " + target.getKind());
                };
            }
        };
    }
}
