package io.kube4j.controller.disruption;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.kube4j.controller.pods.Copies;
import io.kube4j.controller.pods.Selectors;
import io.kube4j.controller.runtime.ControllerContext;
import io.kube4j.controller.runtime.EnqueueHandler;
import io.kube4j.controller.runtime.ManagedController;
import io.kube4j.machinery.client.ObjectClient;
import io.kube4j.machinery.controller.Controller;
import io.kube4j.machinery.controller.Reconciler;
import io.kube4j.machinery.controller.Result;
import io.kube4j.machinery.informer.Cache;
import io.kube4j.machinery.informer.ObjectKeys;
import io.kube4j.machinery.registry.BuiltInTypes;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * kube-controller-manager's {@code disruption} controller: keeps each PodDisruptionBudget's status
 * ({@link DisruptionBudgets}) current as its pods come, go and become ready, so that the gateway's
 * eviction subresource can tell whether a pod may go. A pod's events enqueue the budgets of its
 * namespace that select it; a budget with granted evictions is looked at again when they expire.
 */
@Component
public final class DisruptionController implements ManagedController {

    @Override
    public String name() {
        return "disruption";
    }

    @Override
    public Controller build(ControllerContext context) {
        var budgets = context.informers().informer(BuiltInTypes.POD_DISRUPTION_BUDGET, PodDisruptionBudget.class);
        var pods = context.informers().informer(BuiltInTypes.POD, Pod.class);
        var replicaSets = context.informers().informer(BuiltInTypes.REPLICA_SET, ReplicaSet.class);
        var statefulSets = context.informers().informer(BuiltInTypes.STATEFUL_SET, StatefulSet.class);
        var replicationControllers = context.informers().informer(BuiltInTypes.REPLICATION_CONTROLLER, ReplicationController.class);
        Reconciler reconciler = new BudgetReconciler(budgets.cache(), pods.cache(), replicaSets.cache(), statefulSets.cache(),
                replicationControllers.cache(), context.objects(), Clock.systemUTC());
        Controller controller = new Controller(name(), reconciler, context.workers(), context.shards(name()), () -> budgets.cache().keys());
        budgets.addHandler(EnqueueHandler.forObject(controller));
        pods.addHandler(EnqueueHandler.<Pod>forKeys(controller, pod -> {
            List<String> keys = new ArrayList<>();
            for (PodDisruptionBudget pdb : budgets.cache().list(pod.getMetadata().getNamespace())) {
                if (Selectors.matches(Selectors.of(pdb.getSpec().getSelector()), pod.getMetadata().getLabels())) keys.add(ObjectKeys.key(pdb));
            }
            return keys;
        }));
        // A controller's scale is the expected count of percentage and maxUnavailable budgets.
        replicaSets.addHandler(EnqueueHandler.forKeys(controller, rs -> namespaceBudgets(budgets.cache(), rs.getMetadata().getNamespace())));
        statefulSets.addHandler(EnqueueHandler.forKeys(controller, s -> namespaceBudgets(budgets.cache(), s.getMetadata().getNamespace())));
        return controller;
    }

    private static List<String> namespaceBudgets(Cache<PodDisruptionBudget> budgets, String namespace) {
        return budgets.list(namespace).stream().map(ObjectKeys::key).toList();
    }

    /** Writes a budget's status when what {@link DisruptionBudgets} computes differs from it. */
    static final class BudgetReconciler implements Reconciler {
        private final Cache<PodDisruptionBudget> budgets;
        private final Cache<Pod> pods;
        private final Cache<ReplicaSet> replicaSets;
        private final Cache<StatefulSet> statefulSets;
        private final Cache<ReplicationController> replicationControllers;
        private final ObjectClient objects;
        private final Clock clock;

        BudgetReconciler(Cache<PodDisruptionBudget> budgets, Cache<Pod> pods, Cache<ReplicaSet> replicaSets, Cache<StatefulSet> statefulSets,
                         Cache<ReplicationController> replicationControllers, ObjectClient objects, Clock clock) {
            this.budgets = budgets;
            this.pods = pods;
            this.replicaSets = replicaSets;
            this.statefulSets = statefulSets;
            this.replicationControllers = replicationControllers;
            this.objects = objects;
            this.clock = clock;
        }

        @Override
        public Result reconcile(String key) {
            PodDisruptionBudget pdb = budgets.get(key).orElse(null);
            if (pdb == null || pdb.getMetadata().getDeletionTimestamp() != null) return Result.DONE;
            String namespace = pdb.getMetadata().getNamespace();
            PodDisruptionBudgetStatus status = DisruptionBudgets.status(pdb, pods.list(namespace),
                    owner -> controllerOf(namespace, owner), clock.instant());
            if (!Objects.equals(status, pdb.getStatus())) {
                PodDisruptionBudget copy = Copies.deep(pdb);
                copy.setStatus(status);
                objects.updateStatus(copy);
            }
            // Granted evictions expire: look again then.
            return status.getDisruptedPods() == null ? Result.DONE : Result.requeueAfter(Duration.ofSeconds(30));
        }

        private Optional<DisruptionBudgets.Controller> controllerOf(String namespace, OwnerReference owner) {
            String key = ObjectKeys.key(namespace, owner.getName());
            return switch (owner.getKind()) {
                case "ReplicaSet" -> replicaSets.get(key).filter(rs -> rs.getMetadata().getUid().equals(owner.getUid()))
                        .map(rs -> new DisruptionBudgets.Controller("ReplicaSet", owner.getName(), rs.getSpec().getReplicas()));
                case "StatefulSet" -> statefulSets.get(key).filter(s -> s.getMetadata().getUid().equals(owner.getUid()))
                        .map(s -> new DisruptionBudgets.Controller("StatefulSet", owner.getName(), s.getSpec().getReplicas()));
                case "ReplicationController" -> replicationControllers.get(key).filter(r -> r.getMetadata().getUid().equals(owner.getUid()))
                        .map(r -> new DisruptionBudgets.Controller("ReplicationController", owner.getName(), r.getSpec().getReplicas()));
                default -> Optional.empty();
            };
        }
    }
}
