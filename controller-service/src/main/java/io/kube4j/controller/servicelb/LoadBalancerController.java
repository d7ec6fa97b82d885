package io.kube4j.controller.servicelb;

import io.fabric8.kubernetes.api.model.Service;
import io.kube4j.controller.runtime.ControllerContext;
import io.kube4j.controller.runtime.EnqueueHandler;
import io.kube4j.controller.runtime.ManagedController;
import io.kube4j.machinery.controller.Controller;
import io.kube4j.machinery.registry.BuiltInTypes;
import org.springframework.stereotype.Component;

import java.util.List;

/** Addresses for LoadBalancer Services from the configured pool ({@link LoadBalancerAllocator}). One key for all Services. */
@Component
public final class LoadBalancerController implements ManagedController {

    private final LoadBalancerProperties properties;

    public LoadBalancerController(LoadBalancerProperties properties) {
        this.properties = properties;
    }

    @Override
    public String name() {
        return "service-lb";
    }

    @Override
    public Controller build(ControllerContext context) {
        var services = context.informers().informer(BuiltInTypes.SERVICE, Service.class);
        LoadBalancerAllocator allocator = new LoadBalancerAllocator(services.cache(), context.objects(), context.events("service-lb-controller"),
                AddressPool.parse(properties.pool()));
        Controller controller = new Controller(name(), allocator, 1, context.shards(name()), () -> List.of(LoadBalancerAllocator.KEY));
        // Every change to a Service that holds or wants an address: one key, so the allocation runs once for a burst.
        services.addHandler(EnqueueHandler.<Service>forKeys(controller, s -> List.of(LoadBalancerAllocator.KEY))
                .when(s -> LoadBalancerAllocator.wants(s) || !LoadBalancerAllocator.addresses(s).isEmpty()));
        return controller;
    }
}
