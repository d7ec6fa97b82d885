package io.kube4j.controller.statefulset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.kube4j.controller.runtime.EnqueueHandler;
import io.kube4j.controller.runtime.EnqueueHandler.Event;
import io.kube4j.controller.pods.Owners;
import io.kube4j.controller.pods.SpamFilteredEvents;
import io.kube4j.controller.runtime.ControllerContext;
import io.kube4j.controller.runtime.ManagedController;
import io.kube4j.machinery.controller.Controller;
import io.kube4j.machinery.informer.Cache;
import io.kube4j.machinery.informer.ObjectKeys;
import io.kube4j.machinery.registry.BuiltInTypes;
import org.springframework.stereotype.Component;

import java.time.Clock;

/**
 * kube-controller-manager's {@code statefulset} controller. StatefulSet events enqueue the set;
 * pod and ControllerRevision events enqueue the set that controls them, or — for an orphan —
 * every set whose selector matches it (which may adopt it).
 */
@Component
public final class StatefulSetController implements ManagedController {

    @Override
    public String name() {
        return "statefulset";
    }

    @Override
    public Controller build(ControllerContext context) {
        var sets = context.informers().informer(BuiltInTypes.STATEFUL_SET, StatefulSet.class);
        var pods = context.informers().informer(BuiltInTypes.POD, Pod.class);
        var revisions = context.informers().informer(BuiltInTypes.CONTROLLER_REVISION, ControllerRevision.class);
        Clock clock = Clock.systemUTC();
        var reconciler = new StatefulSetReconciler(sets.cache(), pods.cache(), revisions.cache(), context.objects(),
                new SpamFilteredEvents(context.events("statefulset-controller"), clock), clock);
        Controller controller = context.controller(name(), reconciler, sets.cache());
        sets.addHandler(EnqueueHandler.<StatefulSet>forObject(controller).on(Event.ADD, Event.UPDATE));
        pods.addHandler(new OwnedHandler<>(sets.cache(), controller));
        revisions.addHandler(new OwnedHandler<>(sets.cache(), controller));
        return controller;
    }

    /** Enqueues the StatefulSet an object belongs to, or that may adopt it. */
    record OwnedHandler<T extends HasMetadata>(Cache<StatefulSet> sets, Controller controller) implements ResourceEventHandler<T> {

        @Override
        public void onAdd(T object) {
            enqueue(object);
        }

        @Override
        public void onUpdate(T old, T object) {
            if (old.getMetadata().getResourceVersion().equals(object.getMetadata().getResourceVersion())) return;
            OwnerReference oldRef = Owners.controllerOf(old);
            OwnerReference ref = Owners.controllerOf(object);
            if (oldRef != null && (ref == null || !oldRef.getUid().equals(ref.getUid()))) enqueue(old);
            enqueue(object);
        }

        @Override
        public void onDelete(T object, boolean unknown) {
            enqueue(object);
        }

        private void enqueue(T object) {
            EnqueueHandler.ownerOrAdopters(object, "StatefulSet", sets, set -> set.getSpec().getSelector()).forEach(controller::enqueue);
        }
    }
}
