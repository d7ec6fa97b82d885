package io.kube4j.controller.endpoints;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.kube4j.controller.runtime.EnqueueHandler;
import io.kube4j.controller.runtime.ControllerContext;
import io.kube4j.controller.runtime.ManagedController;
import io.kube4j.machinery.controller.Controller;
import io.kube4j.machinery.registry.BuiltInTypes;
import org.springframework.stereotype.Component;

import java.time.Clock;

/** kube-controller-manager's {@code endpointslicemirroring} controller ({@link EndpointsMirrorReconciler}). Keys are Endpoints keys. */
@Component
public final class EndpointsMirrorController implements ManagedController {

    @Override
    public String name() {
        return "endpointslicemirroring";
    }

    @Override
    public Controller build(ControllerContext context) {
        var services = context.informers().informer(BuiltInTypes.SERVICE, Service.class);
        var endpoints = context.informers().informer(BuiltInTypes.ENDPOINTS, Endpoints.class);
        var slices = context.informers().informer(BuiltInTypes.ENDPOINT_SLICE, EndpointSlice.class)
                .addIndex(EndpointsMirrorReconciler.MIRROR_INDEX, EndpointsMirrorReconciler::mirrorOf);
        Controller controller = context.controller(name(), new EndpointsMirrorReconciler(services.cache(), endpoints.cache(), slices.cache(),
                context.objects(), new SliceTracker(Clock.systemUTC())), endpoints.cache());
        services.addHandler(EnqueueHandler.forObject(controller));
        endpoints.addHandler(EnqueueHandler.forObject(controller));
        slices.addHandler(EnqueueHandler.forKeys(controller, EndpointsMirrorReconciler::mirrorOf));
        return controller;
    }
}
