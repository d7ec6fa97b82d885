package io.kube4j.controller.endpoints;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.kube4j.controller.runtime.EnqueueHandler;
import io.kube4j.controller.runtime.EnqueueHandler.Event;
import io.kube4j.controller.runtime.ControllerContext;
import io.kube4j.controller.runtime.ManagedController;
import io.kube4j.machinery.controller.Controller;
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
        // Someone else changed endpoints this controller keeps: put them back.
        endpoints.addHandler(EnqueueHandler.<Endpoints>forObject(controller).on(Event.UPDATE).when(EndpointsReconciler::managed));
        endpoints.addHandler(EnqueueHandler.<Endpoints>forObject(controller).on(Event.DELETE));
        return controller;
    }
}
