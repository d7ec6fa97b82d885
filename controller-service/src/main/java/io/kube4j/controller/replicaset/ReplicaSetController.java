package io.kube4j.controller.replicaset;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.kube4j.controller.runtime.EnqueueHandler;
import io.kube4j.controller.pods.Expectations;
import io.kube4j.controller.pods.Owners;
import io.kube4j.controller.pods.Pods;
import io.kube4j.controller.pods.Selectors;
import io.kube4j.controller.pods.SpamFilteredEvents;
import io.kube4j.controller.runtime.ControllerContext;
import io.kube4j.controller.runtime.ManagedController;
import io.kube4j.machinery.controller.Controller;
import io.kube4j.machinery.informer.Cache;
import io.kube4j.machinery.informer.ObjectKeys;
import io.kube4j.machinery.registry.BuiltInTypes;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;

/**
 * kube-controller-manager's {@code replicaset} controller. Handlers only enqueue ReplicaSet keys
 * and feed the {@link Expectations}: a pod's arrival counts as an observed creation of its
 * controller, its deletion (or its deletionTimestamp) as an observed deletion; an orphan wakes
 * every ReplicaSet whose selector matches it, which may adopt it.
 */
@Component
public final class ReplicaSetController implements ManagedController {

    private final ReplicaSetProperties properties;

    public ReplicaSetController(ReplicaSetProperties properties) {
        this.properties = properties;
    }

    @Override
    public String name() {
        return "replicaset";
    }

    @Override
    public Controller build(ControllerContext context) {
        var sets = context.informers().informer(BuiltInTypes.REPLICA_SET, ReplicaSet.class);
        var pods = context.informers().informer(BuiltInTypes.POD, Pod.class);
        Clock clock = Clock.systemUTC();
        Expectations expectations = new Expectations(clock, properties.expectationsTimeout());
        var reconciler = new ReplicaSetReconciler(sets.cache(), pods.cache(), context.objects(),
                new SpamFilteredEvents(context.events("replicaset-controller"), clock), expectations,
                Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("replicaset-pods-", 0).factory()),
                clock, properties.burstReplicas(), properties.podWrites());
        Controller controller = context.controller(name(), reconciler, sets.cache());
        sets.addHandler(EnqueueHandler.<ReplicaSet>forObject(controller).beforeDelete(rs -> expectations.forget(ObjectKeys.key(rs))));
        pods.addHandler(new PodHandler(sets.cache(), expectations, controller));
        return controller;
    }

    /** Maps pod events to the ReplicaSets they concern, as kube's addPod/updatePod/deletePod. */
    record PodHandler(Cache<ReplicaSet> sets, Expectations expectations, Controller controller) implements ResourceEventHandler<Pod> {

        @Override
        public void onAdd(Pod pod) {
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                onDelete(pod, false);
                return;
            }
            OwnerReference ref = Owners.controllerOf(pod);
            if (ref != null) {
                ReplicaSet rs = resolve(pod.getMetadata().getNamespace(), ref);
                if (rs == null) return;
                String key = ObjectKeys.key(rs);
                expectations.creationObserved(key);
                controller.enqueue(key);
                return;
            }
            enqueueMatching(pod);
        }

        @Override
        public void onUpdate(Pod old, Pod pod) {
            if (Objects.equals(old.getMetadata().getResourceVersion(), pod.getMetadata().getResourceVersion())) return;
            boolean labelsChanged = !Objects.equals(old.getMetadata().getLabels(), pod.getMetadata().getLabels());
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                onDelete(pod, false);
                if (labelsChanged) onDelete(old, false);
                return;
            }
            OwnerReference oldRef = Owners.controllerOf(old);
            OwnerReference ref = Owners.controllerOf(pod);
            boolean refChanged = !Objects.equals(oldRef == null ? null : oldRef.getUid(), ref == null ? null : ref.getUid());
            if (refChanged && oldRef != null) {
                ReplicaSet previous = resolve(old.getMetadata().getNamespace(), oldRef);
                if (previous != null) controller.enqueue(ObjectKeys.key(previous));
            }
            if (ref != null) {
                ReplicaSet rs = resolve(pod.getMetadata().getNamespace(), ref);
                if (rs == null) return;
                controller.enqueue(ObjectKeys.key(rs));
                int minReady = ReplicaSetReconciler.minReadySeconds(rs);
                if (minReady > 0 && !Pods.isReady(old) && Pods.isReady(pod)) {
                    controller.enqueueAfter(ObjectKeys.key(rs), Duration.ofSeconds(minReady + 1L));
                }
                return;
            }
            if (labelsChanged || refChanged) enqueueMatching(pod);
        }

        @Override
        public void onDelete(Pod pod, boolean unknown) {
            OwnerReference ref = Owners.controllerOf(pod);
            if (ref == null) return;
            ReplicaSet rs = resolve(pod.getMetadata().getNamespace(), ref);
            if (rs == null) return;
            String key = ObjectKeys.key(rs);
            expectations.deletionObserved(key, ObjectKeys.key(pod));
            controller.enqueue(key);
        }

        private ReplicaSet resolve(String namespace, OwnerReference ref) {
            if (!"ReplicaSet".equals(ref.getKind())) return null;
            return sets.get(namespace, ref.getName()).filter(rs -> rs.getMetadata().getUid().equals(ref.getUid())).orElse(null);
        }

        private void enqueueMatching(Pod pod) {
            for (ReplicaSet rs : sets.list(pod.getMetadata().getNamespace())) {
                if (Selectors.of(rs.getSpec().getSelector()).isEmpty()) continue;
                if (Selectors.matches(Selectors.of(rs.getSpec().getSelector()), pod.getMetadata().getLabels())) {
                    controller.enqueue(ObjectKeys.key(rs));
                }
            }
        }
    }
}
