package io.kube4j.controller.namespace;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.kube4j.controller.runtime.EnqueueHandler;
import io.kube4j.controller.runtime.EnqueueHandler.Event;
import io.kube4j.controller.runtime.ControllerContext;
import io.kube4j.controller.runtime.ManagedController;
import io.kube4j.machinery.controller.Controller;
import io.kube4j.machinery.registry.BuiltInTypes;
import org.springframework.stereotype.Component;

import java.time.Clock;

/** kube-controller-manager's {@code namespace} controller: empties Terminating namespaces ({@link NamespaceDeleter}). */
@Component
public final class NamespaceController implements ManagedController {

    @Override
    public String name() {
        return "namespace";
    }

    @Override
    public Controller build(ControllerContext context) {
        var namespaces = context.informers().informer(BuiltInTypes.NAMESPACE, Namespace.class);
        var definitions = context.informers().informer(BuiltInTypes.CUSTOM_RESOURCE_DEFINITION, CustomResourceDefinition.class);
        Controller controller = context.controller(name(), new NamespaceDeleter(namespaces.cache(), definitions.cache(),
                new GatewayNamespaceContent(context.client()), context.objects(), Clock.systemUTC()), namespaces.cache());
        namespaces.addHandler(EnqueueHandler.<Namespace>forObject(controller).on(Event.ADD, Event.UPDATE)
                .when(ns -> ns.getMetadata().getDeletionTimestamp() != null));
        return controller;
    }
}
