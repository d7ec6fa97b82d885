package io.kube4j.controller.podgc;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.kube4j.controller.pods.PodRemover;
import io.kube4j.controller.pods.Pods;
import io.kube4j.controller.runtime.ControllerContext;
import io.kube4j.controller.runtime.ManagedController;
import io.kube4j.machinery.controller.Controller;
import io.kube4j.machinery.registry.BuiltInTypes;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * kube-controller-manager's {@code podgc} controller ({@link PodGcPlan}): sweeps every
 * {@link PodGcProperties#period()}, and soon ({@link #COALESCE}) after a node is deleted or a pod
 * that was never scheduled is being deleted. One key for the whole cluster, so one replica sweeps.
 *
 * <p>A sweep reads every pod and node, so events only ask for one: all the events of a burst (a
 * thousand nodes deleted, a namespace of pods going) within {@link #COALESCE} of the first share
 * the sweep it schedules. Measured with 1,000 nodes and 3,000 pods, a sweep per event made the
 * collector the controller service's busiest thread.
 */
@Component
public final class PodGcController implements ManagedController {

    /** How long after the first event that asks for a sweep the sweep runs. */
    static final Duration COALESCE = Duration.ofSeconds(1);

    private final PodGcProperties properties;

    public PodGcController(PodGcProperties properties) {
        this.properties = properties;
    }

    @Override
    public String name() {
        return "podgc";
    }

    @Override
    public Controller build(ControllerContext context) {
        var pods = context.informers().informer(BuiltInTypes.POD, Pod.class);
        var nodes = context.informers().informer(BuiltInTypes.NODE, Node.class);
        PodGarbageCollector collector = new PodGarbageCollector(pods.cache(), nodes.cache(), context.objects(),
                PodRemover.gateway(context.client()), properties, Clock.systemUTC());
        List<String> key = List.of(PodGarbageCollector.KEY);
        AtomicBoolean scheduled = new AtomicBoolean();
        Controller controller = new Controller(name(), sweepKey -> {
            scheduled.set(false);
            return collector.reconcile(sweepKey);
        }, 1, context.shards(name()), () -> key);
        Runnable sweepSoon = () -> {
            if (scheduled.compareAndSet(false, true)) controller.enqueueAfter(PodGarbageCollector.KEY, COALESCE);
        };
        nodes.addHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node node) {
            }

            @Override
            public void onUpdate(Node old, Node node) {
            }

            @Override
            public void onDelete(Node node, boolean finalStateUnknown) {
                sweepSoon.run();
            }
        });
        pods.addHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                if (unscheduledAndTerminating(pod)) sweepSoon.run();
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                if (unscheduledAndTerminating(pod)) sweepSoon.run();
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
            }
        });
        return controller;
    }

    private static boolean unscheduledAndTerminating(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null && !Pods.isAssigned(pod);
    }
}
