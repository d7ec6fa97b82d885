package io.kube4j.controller.podgc;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.controller.pods.PodRemover;
import io.kube4j.controller.pods.Pods;
import io.kube4j.controller.runtime.ControllerContext;
import io.kube4j.controller.runtime.EnqueueHandler;
import io.kube4j.controller.runtime.EnqueueHandler.Event;
import io.kube4j.controller.runtime.ManagedController;
import io.kube4j.machinery.controller.Controller;
import io.kube4j.machinery.registry.BuiltInTypes;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.List;

/**
 * kube-controller-manager's {@code podgc} controller ({@link PodGcPlan}): sweeps every
 * {@link PodGcProperties#period()}, and at once when a node is deleted or a pod that was never
 * scheduled is being deleted. One key for the whole cluster, so one replica sweeps.
 */
@Component
public final class PodGcController implements ManagedController {

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
        Controller controller = new Controller(name(), collector, 1, context.shards(name()), () -> key);
        nodes.addHandler(EnqueueHandler.<Node>forKeys(controller, node -> key).on(Event.ADD, Event.DELETE));
        pods.addHandler(EnqueueHandler.<Pod>forKeys(controller, pod -> key).on(Event.ADD, Event.UPDATE)
                .when(pod -> pod.getMetadata().getDeletionTimestamp() != null && !Pods.isAssigned(pod)));
        return controller;
    }
}
