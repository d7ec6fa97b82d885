package io.kube4j.controller.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.controller.runtime.EnqueueHandler;
import io.kube4j.controller.runtime.ControllerContext;
import io.kube4j.controller.runtime.ManagedController;
import io.kube4j.machinery.controller.Controller;
import io.kube4j.machinery.registry.BuiltInTypes;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

import java.time.Clock;

/** kube-controller-manager's {@code nodelifecycle} controller ({@link NodeMonitor}); heartbeats from Redis. Keys are node names. */
@Component
public final class NodeLifecycleController implements ManagedController {

    private final Heartbeats heartbeats;
    private final NodeLifecycleProperties properties;

    public NodeLifecycleController(StringRedisTemplate redis, NodeLifecycleProperties properties) {
        this.heartbeats = new RedisHeartbeats(redis);
        this.properties = properties;
    }

    @Override
    public String name() {
        return "nodelifecycle";
    }

    @Override
    public Controller build(ControllerContext context) {
        var nodes = context.informers().informer(BuiltInTypes.NODE, Node.class);
        var pods = context.informers().informer(BuiltInTypes.POD, Pod.class).addIndex(NodeMonitor.NODE_INDEX, NodeMonitor::nodeOf);
        Controller controller = context.controller(name(), new NodeMonitor(nodes.cache(), pods.cache(), heartbeats, context.objects(),
                context.events("node-controller"), properties, Clock.systemUTC()), nodes.cache());
        nodes.addHandler(EnqueueHandler.forObject(controller));
        return controller;
    }
}
