package io.kube4j.controller.daemonset;

import io.kube4j.controller.pods.PodRemover;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.kube4j.controller.pods.Expectations;
import io.kube4j.controller.pods.Owners;
import io.kube4j.controller.pods.SpamFilteredEvents;
import io.kube4j.controller.runtime.ControllerContext;
import io.kube4j.controller.runtime.EnqueueHandler;
import io.kube4j.controller.runtime.ManagedController;
import io.kube4j.machinery.controller.Controller;
import io.kube4j.machinery.informer.Cache;
import io.kube4j.machinery.informer.ObjectKeys;
import io.kube4j.machinery.registry.BuiltInTypes;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.Objects;

/**
 * kube-controller-manager's {@code daemonset} controller. DaemonSet events enqueue the set; pod
 * and ControllerRevision events enqueue the set that controls them (a pod's arrival or deletion
 * also settles the set's {@link Expectations}), or — for an orphan — every set whose selector
 * matches it; a node that appears, goes, or changes its labels, taints or schedulability
 * enqueues every set, since any of them may now belong on it or off it.
 */
@Component
public final class DaemonSetController implements ManagedController {

    @Override
    public String name() {
        return "daemonset";
    }

    @Override
    public Controller build(ControllerContext context) {
        var sets = context.informers().informer(BuiltInTypes.DAEMON_SET, DaemonSet.class);
        var pods = context.informers().informer(BuiltInTypes.POD, Pod.class);
        var nodes = context.informers().informer(BuiltInTypes.NODE, Node.class);
        var revisions = context.informers().informer(BuiltInTypes.CONTROLLER_REVISION, ControllerRevision.class);
        Clock clock = Clock.systemUTC();
        Expectations expectations = new Expectations(clock, Expectations.DEFAULT_TIMEOUT);
        var reconciler = new DaemonSetReconciler(sets.cache(), pods.cache(), nodes.cache(), revisions.cache(), context.objects(),
                PodRemover.gateway(context.client()), new SpamFilteredEvents(context.events("daemonset-controller"), clock),
                expectations, clock);
        Controller controller = context.controller(name(), reconciler, sets.cache());
        sets.addHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(DaemonSet set) {
                controller.enqueue(ObjectKeys.key(set));
            }

            @Override
            public void onUpdate(DaemonSet old, DaemonSet set) {
                controller.enqueue(ObjectKeys.key(set));
            }

            @Override
            public void onDelete(DaemonSet set, boolean unknown) {
                expectations.forget(ObjectKeys.key(set));
            }
        });
        pods.addHandler(new OwnedHandler<>(sets.cache(), controller, expectations));
        revisions.addHandler(new OwnedHandler<>(sets.cache(), controller, null));
        nodes.addHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node node) {
                sets.cache().keys().forEach(controller::enqueue);
            }

            @Override
            public void onUpdate(Node old, Node node) {
                var oldSpec = old.getSpec() == null ? new io.fabric8.kubernetes.api.model.NodeSpec() : old.getSpec();
                var spec = node.getSpec() == null ? new io.fabric8.kubernetes.api.model.NodeSpec() : node.getSpec();
                if (Objects.equals(old.getMetadata().getLabels(), node.getMetadata().getLabels())
                        && Objects.equals(oldSpec.getTaints(), spec.getTaints())
                        && Objects.equals(oldSpec.getUnschedulable(), spec.getUnschedulable())) return;
                sets.cache().keys().forEach(controller::enqueue);
            }

            @Override
            public void onDelete(Node node, boolean unknown) {
                sets.cache().keys().forEach(controller::enqueue);
            }
        });
        return controller;
    }

    /** Enqueues the DaemonSet an object belongs to, or that may adopt it; for pods, settles its expectations. */
    record OwnedHandler<T extends HasMetadata>(Cache<DaemonSet> sets, Controller controller, Expectations expectations)
            implements ResourceEventHandler<T> {

        @Override
        public void onAdd(T object) {
            String owner = owner(object);
            if (owner != null && expectations != null) expectations.creationObserved(owner);
            enqueue(object);
        }

        @Override
        public void onUpdate(T old, T object) {
            if (old.getMetadata().getResourceVersion().equals(object.getMetadata().getResourceVersion())) return;
            String owner = owner(object);
            if (owner != null && expectations != null && old.getMetadata().getDeletionTimestamp() == null
                    && object.getMetadata().getDeletionTimestamp() != null) {
                expectations.deletionObserved(owner, ObjectKeys.key(object));
            }
            OwnerReference oldRef = Owners.controllerOf(old);
            OwnerReference ref = Owners.controllerOf(object);
            if (oldRef != null && (ref == null || !oldRef.getUid().equals(ref.getUid()))) enqueue(old);
            enqueue(object);
        }

        @Override
        public void onDelete(T object, boolean unknown) {
            String owner = owner(object);
            if (owner != null && expectations != null) expectations.deletionObserved(owner, ObjectKeys.key(object));
            enqueue(object);
        }

        private static String owner(HasMetadata object) {
            OwnerReference ref = Owners.controllerOf(object);
            return ref != null && "DaemonSet".equals(ref.getKind()) ? ObjectKeys.key(object.getMetadata().getNamespace(), ref.getName()) : null;
        }

        private void enqueue(T object) {
            EnqueueHandler.ownerOrAdopters(object, "DaemonSet", sets, set -> set.getSpec().getSelector()).forEach(controller::enqueue);
        }
    }
}
