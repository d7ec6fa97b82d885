package io.kube4j.controller.endpoints;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.kube4j.controller.runtime.ControllerContext;
import io.kube4j.controller.runtime.ManagedController;
import io.kube4j.machinery.controller.Controller;
import io.kube4j.machinery.informer.ObjectKeys;
import io.kube4j.machinery.registry.BuiltInTypes;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.function.Function;

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
        services.addHandler(enqueue(controller, ObjectKeys::key));
        endpoints.addHandler(enqueue(controller, ObjectKeys::key));
        slices.addHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(EndpointSlice s) {
                EndpointsMirrorReconciler.mirrorOf(s).forEach(controller::enqueue);
            }

            @Override
            public void onUpdate(EndpointSlice old, EndpointSlice s) {
                EndpointsMirrorReconciler.mirrorOf(s).forEach(controller::enqueue);
            }

            @Override
            public void onDelete(EndpointSlice s, boolean unknown) {
                EndpointsMirrorReconciler.mirrorOf(s).forEach(controller::enqueue);
            }
        });
        return controller;
    }

    private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> ResourceEventHandler<T> enqueue(Controller controller, Function<T, String> key) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T o) {
                controller.enqueue(key.apply(o));
            }

            @Override
            public void onUpdate(T old, T o) {
                controller.enqueue(key.apply(o));
            }

            @Override
            public void onDelete(T o, boolean unknown) {
                controller.enqueue(key.apply(o));
            }
        };
    }
}
