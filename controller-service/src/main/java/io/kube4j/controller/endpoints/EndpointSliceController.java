package io.kube4j.controller.endpoints;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.kube4j.controller.runtime.EnqueueHandler;
import io.kube4j.controller.runtime.ControllerContext;
import io.kube4j.controller.runtime.ManagedController;
import io.kube4j.machinery.controller.Controller;
import io.kube4j.machinery.registry.BuiltInTypes;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * kube-controller-manager's {@code endpointslice} controller ({@link EndpointSliceReconciler}). Keys
 * are service keys. {@code kube4j.controllers.max-endpoints-per-slice} (default 100) bounds a slice.
 */
@Component
public final class EndpointSliceController implements ManagedController {

    private final int maxEndpointsPerSlice;

    public EndpointSliceController(@Value("${kube4j.controllers.max-endpoints-per-slice:100}") int maxEndpointsPerSlice) {
        this.maxEndpointsPerSlice = maxEndpointsPerSlice;
    }

    @Override
    public String name() {
        return "endpointslice";
    }

    @Override
    public Controller build(ControllerContext context) {
        var services = context.informers().informer(BuiltInTypes.SERVICE, Service.class);
        var pods = context.informers().informer(BuiltInTypes.POD, Pod.class);
        var nodes = context.informers().informer(BuiltInTypes.NODE, Node.class);
        var slices = context.informers().informer(BuiltInTypes.ENDPOINT_SLICE, EndpointSlice.class)
                .addIndex(EndpointSliceReconciler.SERVICE_INDEX, EndpointSliceReconciler::serviceOf);
        Controller controller = context.controller(name(), new EndpointSliceReconciler(services.cache(), pods.cache(), slices.cache(),
                nodes.cache(), context.objects(), context.events("endpoint-slice-controller"), maxEndpointsPerSlice,
                new SliceTracker(java.time.Clock.systemUTC())), services.cache());
        services.addHandler(ServicePodHandlers.services(controller));
        pods.addHandler(ServicePodHandlers.pods(controller, services.cache()));
        slices.addHandler(EnqueueHandler.forKeys(controller, EndpointSliceReconciler::serviceOf));
        return controller;
    }
}
