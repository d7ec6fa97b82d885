package io.kube4j.controller.endpoints;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.kube4j.controller.runtime.ControllerContext;
import io.kube4j.controller.runtime.ManagedController;
import io.kube4j.machinery.controller.Controller;
import io.kube4j.machinery.informer.ObjectKeys;
import io.kube4j.machinery.registry.BuiltInTypes;
import org.springframework.stereotype.Component;

/** kube-controller-manager's {@code endpoint} controller: core/v1 Endpoints for every Service with a selector ({@link EndpointsReconciler}). Keys are service keys. */
@Component
public final class EndpointsController implements ManagedController {

    @Override
    public String name() {
        return "endpoint";
    }

    @Override
    public Controller build(ControllerContext context) {
        var services = context.informers().informer(BuiltInTypes.SERVICE, Service.class);
        var pods = context.informers().informer(BuiltInTypes.POD, Pod.class);
        var endpoints = context.informers().informer(BuiltInTypes.ENDPOINTS, Endpoints.class);
        Controller controller = context.controller(name(), new EndpointsReconciler(services.cache(), pods.cache(), endpoints.cache(),
                context.objects(), context.events("endpoint-controller")), services.cache());
        services.addHandler(ServicePodHandlers.services(controller));
        pods.addHandler(ServicePodHandlers.pods(controller, services.cache()));
        endpoints.addHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Endpoints e) {
            }

            @Override
            public void onUpdate(Endpoints old, Endpoints e) {
                // Someone else changed endpoints this controller keeps: put them back.
                if (EndpointsReconciler.managed(e)) controller.enqueue(ObjectKeys.key(e));
            }

            @Override
            public void onDelete(Endpoints e, boolean unknown) {
                controller.enqueue(ObjectKeys.key(e));
            }
        });
        return controller;
    }
}
