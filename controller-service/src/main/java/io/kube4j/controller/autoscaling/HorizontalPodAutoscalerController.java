package io.kube4j.controller.autoscaling;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.kube4j.controller.runtime.ControllerContext;
import io.kube4j.controller.runtime.ManagedController;
import io.kube4j.machinery.controller.Controller;
import io.kube4j.machinery.informer.ObjectKeys;
import io.kube4j.machinery.registry.BuiltInTypes;
import org.springframework.stereotype.Component;

import java.time.Clock;

/**
 * kube-controller-manager's {@code horizontalpodautoscaling} controller. An autoscaler's events
 * enqueue it; after that each pass asks to come back after the sync period, so metrics are read
 * every period (15 s unless configured) whether or not anything changed (usage changes without events).
 */
@Component
public final class HorizontalPodAutoscalerController implements ManagedController {

    private final HorizontalPodAutoscalerProperties properties;

    public HorizontalPodAutoscalerController(HorizontalPodAutoscalerProperties properties) {
        this.properties = properties;
    }

    @Override
    public String name() {
        return "horizontalpodautoscaling";
    }

    @Override
    public Controller build(ControllerContext context) {
        var autoscalers = context.informers().informer(BuiltInTypes.HORIZONTAL_POD_AUTOSCALER, HorizontalPodAutoscaler.class);
        var pods = context.informers().informer(BuiltInTypes.POD, Pod.class);
        var reconciler = new HorizontalPodAutoscalerReconciler(autoscalers.cache(), pods.cache(), TargetScale.gateway(context.client()),
                PodMetricsSource.gateway(context.client()), context.objects(), context.events("horizontal-pod-autoscaler"), Clock.systemUTC(),
                properties.syncPeriod());
        Controller controller = context.controller(name(), reconciler, autoscalers.cache());
        autoscalers.addHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(HorizontalPodAutoscaler hpa) {
                controller.enqueue(ObjectKeys.key(hpa));
            }

            @Override
            public void onUpdate(HorizontalPodAutoscaler old, HorizontalPodAutoscaler hpa) {
                // Status writes of its own come back here; only a changed spec needs a pass before the next period.
                if (!java.util.Objects.equals(old.getSpec(), hpa.getSpec())) controller.enqueue(ObjectKeys.key(hpa));
            }

            @Override
            public void onDelete(HorizontalPodAutoscaler hpa, boolean unknown) {
                controller.enqueue(ObjectKeys.key(hpa));
            }
        });
        return controller;
    }
}
