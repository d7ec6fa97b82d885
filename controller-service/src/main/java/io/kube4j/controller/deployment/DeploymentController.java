package io.kube4j.controller.deployment;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.kube4j.controller.runtime.EnqueueHandler;
import io.kube4j.controller.pods.Owners;
import io.kube4j.controller.pods.Selectors;
import io.kube4j.controller.runtime.ControllerContext;
import io.kube4j.controller.runtime.ManagedController;
import io.kube4j.machinery.controller.Controller;
import io.kube4j.machinery.informer.Cache;
import io.kube4j.machinery.informer.ObjectKeys;
import io.kube4j.machinery.registry.BuiltInTypes;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.Objects;

/**
 * kube-controller-manager's {@code deployment} controller. Handlers only enqueue Deployment keys:
 * a Deployment's own changes; a ReplicaSet's changes wake its controlling Deployment (an orphan
 * wakes every Deployment whose selector matches it, which may adopt it); a pod's deletion wakes
 * the Deployment of its ReplicaSet, which Recreate waits for.
 */
@Component
public final class DeploymentController implements ManagedController {

    @Override
    public String name() {
        return "deployment";
    }

    @Override
    public Controller build(ControllerContext context) {
        var deployments = context.informers().informer(BuiltInTypes.DEPLOYMENT, Deployment.class);
        var sets = context.informers().informer(BuiltInTypes.REPLICA_SET, ReplicaSet.class);
        var pods = context.informers().informer(BuiltInTypes.POD, Pod.class);
        var reconciler = new DeploymentReconciler(deployments.cache(), sets.cache(), pods.cache(), context.objects(),
                context.events("deployment-controller"), Clock.systemUTC());
        Controller controller = context.controller(name(), reconciler, deployments.cache());
        deployments.addHandler(EnqueueHandler.forObject(controller));
        sets.addHandler(new ReplicaSetHandler(deployments.cache(), controller));
        pods.addHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
            }

            @Override
            public void onDelete(Pod pod, boolean unknown) {
                OwnerReference ref = Owners.controllerOf(pod);
                if (ref == null || !"ReplicaSet".equals(ref.getKind())) return;
                ReplicaSet rs = sets.cache().get(pod.getMetadata().getNamespace(), ref.getName()).orElse(null);
                if (rs == null) return;
                Deployment d = ReplicaSetHandler.owner(deployments.cache(), rs);
                if (d != null && !Rollouts.isRollingUpdate(d)) controller.enqueue(ObjectKeys.key(d));
            }
        });
        return controller;
    }

    /** Maps ReplicaSet events to the Deployments they concern, as kube's add/update/deleteReplicaSet. */
    record ReplicaSetHandler(Cache<Deployment> deployments, Controller controller) implements ResourceEventHandler<ReplicaSet> {

        static Deployment owner(Cache<Deployment> deployments, ReplicaSet rs) {
            OwnerReference ref = Owners.controllerOf(rs);
            if (ref == null || !"Deployment".equals(ref.getKind())) return null;
            return deployments.get(rs.getMetadata().getNamespace(), ref.getName())
                    .filter(d -> d.getMetadata().getUid().equals(ref.getUid())).orElse(null);
        }

        @Override
        public void onAdd(ReplicaSet rs) {
            if (Owners.controllerOf(rs) != null) {
                Deployment d = owner(deployments, rs);
                if (d != null) controller.enqueue(ObjectKeys.key(d));
                return;
            }
            enqueueMatching(rs);
        }

        @Override
        public void onUpdate(ReplicaSet old, ReplicaSet rs) {
            if (Objects.equals(old.getMetadata().getResourceVersion(), rs.getMetadata().getResourceVersion())) return;
            OwnerReference oldRef = Owners.controllerOf(old);
            OwnerReference ref = Owners.controllerOf(rs);
            boolean refChanged = !Objects.equals(oldRef == null ? null : oldRef.getUid(), ref == null ? null : ref.getUid());
            if (refChanged && oldRef != null) {
                Deployment previous = owner(deployments, old);
                if (previous != null) controller.enqueue(ObjectKeys.key(previous));
            }
            if (ref != null) {
                Deployment d = owner(deployments, rs);
                if (d != null) controller.enqueue(ObjectKeys.key(d));
                return;
            }
            if (refChanged || !Objects.equals(old.getMetadata().getLabels(), rs.getMetadata().getLabels())) enqueueMatching(rs);
        }

        @Override
        public void onDelete(ReplicaSet rs, boolean unknown) {
            Deployment d = owner(deployments, rs);
            if (d != null) controller.enqueue(ObjectKeys.key(d));
        }

        private void enqueueMatching(ReplicaSet rs) {
            for (Deployment d : deployments.list(rs.getMetadata().getNamespace())) {
                var selector = Selectors.of(d.getSpec().getSelector());
                if (!selector.isEmpty() && Selectors.matches(selector, rs.getMetadata().getLabels())) controller.enqueue(ObjectKeys.key(d));
            }
        }
    }
}
