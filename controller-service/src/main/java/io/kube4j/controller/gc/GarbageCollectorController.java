package io.kube4j.controller.gc;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kube4j.controller.runtime.ControllerContext;
import io.kube4j.controller.runtime.ManagedController;
import io.kube4j.machinery.controller.Controller;
import io.kube4j.machinery.informer.Cache;
import io.kube4j.machinery.informer.KafkaInformer;
import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.machinery.registry.ResourceType;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Cascading deletion by ownerReferences (kube-controller-manager's {@code garbagecollector}): one
 * shared informer per built-in type that can have owners, each indexed by owner uid; handlers
 * enqueue the objects whose owners or deletion state changed and the dependents of deleted
 * objects; {@link Collector} decides. Custom resources are not watched yet: their references to
 * built-in owners are honoured by nobody, and an owner unknown to the collector always counts as
 * present.
 */
@Component
public final class GarbageCollectorController implements ManagedController {

    @Override
    public String name() {
        return "garbagecollector";
    }

    /** The built-in types the collector watches: every stored kind except events (high volume, kube's events carry no owners) and review questions. */
    public static List<ResourceType> watchedTypes() {
        return BuiltInTypes.ALL.stream()
                .filter(t -> !BuiltInTypes.REVIEWS.contains(t))
                .filter(t -> t != BuiltInTypes.HORIZONTAL_POD_AUTOSCALER_V1 && t != BuiltInTypes.EVENT)
                .toList();
    }

    /** The model class of each type, as fabric8 registers it; these are the classes every controller's informers read. */
    public static Map<ResourceType, Class<? extends HasMetadata>> modelClasses(List<ResourceType> types) {
        KubernetesSerialization serialization = new KubernetesSerialization();
        Map<ResourceType, Class<? extends HasMetadata>> classes = new LinkedHashMap<>();
        for (ResourceType type : types) {
            var cls = serialization.getRegisteredKubernetesResource(type.apiVersion(), type.kind());
            if (cls != null && HasMetadata.class.isAssignableFrom(cls)) classes.put(type, cls.asSubclass(HasMetadata.class));
        }
        return classes;
    }

    @Override
    public Controller build(ControllerContext context) {
        Map<ResourceType, Class<? extends HasMetadata>> classes = modelClasses(watchedTypes());
        Map<ResourceType, KafkaInformer<? extends HasMetadata>> informers = new LinkedHashMap<>();
        Map<ResourceType, Cache<? extends HasMetadata>> caches = new LinkedHashMap<>();
        classes.forEach((type, cls) -> {
            KafkaInformer<? extends HasMetadata> informer = context.informers().informer(type, cls);
            informer.addIndex(Graph.OWNER_INDEX, Graph::ownerUids);
            informers.put(type, informer);
            caches.put(type, informer.cache());
        });
        Graph graph = new Graph(caches);
        Controller controller = new Controller(name(), new Collector(graph, context.objects(), classes::get),
                context.workers(), context.shards(name()), graph::keysWithWork);
        informers.forEach((type, informer) -> register(informer, new Handler(type, graph, controller)));
        return controller;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void register(KafkaInformer<? extends HasMetadata> informer, Handler handler) {
        ((KafkaInformer) informer).addHandler(handler);
    }

    /** Enqueues only: the object when its owners or deletion state change, and the neighbours of a deleted object. */
    record Handler(ResourceType type, Graph graph, Controller controller) implements ResourceEventHandler<HasMetadata> {
        @Override
        public void onAdd(HasMetadata object) {
            if (!Collector.refs(object).isEmpty() || Collector.hasCollectorFinalizer(object)) {
                controller.enqueue(Graph.key(type, object));
            }
        }

        @Override
        public void onUpdate(HasMetadata old, HasMetadata object) {
            var a = old.getMetadata();
            var b = object.getMetadata();
            boolean changed = !Objects.equals(a.getOwnerReferences(), b.getOwnerReferences())
                    || !Objects.equals(a.getDeletionTimestamp(), b.getDeletionTimestamp())
                    || !Objects.equals(a.getFinalizers(), b.getFinalizers());
            if (changed && (!Collector.refs(object).isEmpty() || Collector.hasCollectorFinalizer(object))) {
                controller.enqueue(Graph.key(type, object));
            }
            if (changed) {
                // A dependent that lost its reference, or began to go, may unblock an owner in the foreground.
                enqueueOwners(old);
            }
        }

        @Override
        public void onDelete(HasMetadata object, boolean finalStateUnknown) {
            for (Graph.Item dependent : graph.dependents(object.getMetadata().getUid())) controller.enqueue(dependent.key());
            enqueueOwners(object);
        }

        private void enqueueOwners(HasMetadata object) {
            for (OwnerReference ref : Collector.refs(object)) {
                Optional<ResourceType> ownerType = graph.typeOf(ref.getApiVersion(), ref.getKind());
                if (ownerType.isEmpty()) continue;
                graph.get(ownerType.get(), object.getMetadata().getNamespace(), ref.getName())
                        .filter(Collector::hasCollectorFinalizer)
                        .ifPresent(owner -> controller.enqueue(Graph.key(ownerType.get(), owner)));
            }
        }
    }
}
