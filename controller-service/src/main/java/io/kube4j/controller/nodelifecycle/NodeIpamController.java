package io.kube4j.controller.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.kube4j.controller.runtime.EnqueueHandler;
import io.kube4j.controller.runtime.EnqueueHandler.Event;
import io.kube4j.controller.runtime.ControllerContext;
import io.kube4j.controller.runtime.ManagedController;
import io.kube4j.machinery.controller.Controller;
import io.kube4j.machinery.registry.BuiltInTypes;
import org.springframework.stereotype.Component;

import java.util.List;

/** kube-controller-manager's {@code nodeipam} controller: a podCIDR for every node ({@link NodeCidrAllocator}). One key for all nodes. */
@Component
public final class NodeIpamController implements ManagedController {

    private final NodeLifecycleProperties properties;

    public NodeIpamController(NodeLifecycleProperties properties) {
        this.properties = properties;
    }

    @Override
    public String name() {
        return "nodeipam";
    }

    @Override
    public Controller build(ControllerContext context) {
        var nodes = context.informers().informer(BuiltInTypes.NODE, Node.class);
        NodeCidrAllocator allocator = new NodeCidrAllocator(nodes.cache(), context.objects(), context.events("cidrAllocator"),
                CidrRange.parse(properties.clusterCidr(), properties.nodeCidrMaskSize()));
        Controller controller = new Controller(name(), allocator, 1, context.shards(name()), () -> List.of(NodeCidrAllocator.KEY));
        nodes.addHandler(EnqueueHandler.<Node>forKeys(controller, node -> List.of(NodeCidrAllocator.KEY)).on(Event.ADD, Event.UPDATE)
                .when(node -> isEmpty(NodeCidrAllocator.podCidr(node))));
        nodes.addHandler(EnqueueHandler.<Node>forKeys(controller, node -> List.of(NodeCidrAllocator.KEY)).on(Event.DELETE));
        return controller;
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }
}
