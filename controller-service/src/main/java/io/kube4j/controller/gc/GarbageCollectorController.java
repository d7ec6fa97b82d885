package io.kube4j.controller.gc;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kube4j.controller.runtime.ControllerContext;
import io.kube4j.controller.runtime.CustomResourceTypes;
import io.kube4j.controller.runtime.ManagedController;
import io.kube4j.machinery.controller.Controller;
import io.kube4j.machinery.informer.Cache;
import io.kube4j.machinery.informer.KafkaInformer;
import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.machinery.registry.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * objects; {@link Collector} decides. Custom resources take part as owners and as dependents: the
 * collector follows the CustomResourceDefinitions and, for each type one adds, starts an informer
 * of its objects (as {@link GenericKubernetesResource}) and adds it to the {@link Graph}, then
 * resyncs, so references to a kind it had not seen yet are judged again. An owner of a kind the
 * gateway does not serve still counts as present. A deleted definition's informer stays (its
 * objects go with the definition).
 */
@Component
public final class GarbageCollectorController implements ManagedController {

    private static final Logger log = LoggerFactory.getLogger(GarbageCollectorController.class);

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
        Controller controller = new Controller(name(), new Collector(graph, context.objects(), classes::get,
                CustomObjects.gateway(context.client())), context.workers(), context.shards(name()), graph::keysWithWork);
        informers.forEach((type, informer) -> register(informer, new Handler(type, graph, controller)));
        context.informers().informer(BuiltInTypes.CUSTOM_RESOURCE_DEFINITION, CustomResourceDefinition.class)
                .addHandler(new Definitions(context, graph, controller));
        return controller;
    }

    /** Starts watching the objects of each custom resource type as its definition appears. */
    record Definitions(ControllerContext context, Graph graph, Controller controller)
            implements ResourceEventHandler<CustomResourceDefinition> {
        @Override
        public void onAdd(CustomResourceDefinition crd) {
            CustomResourceTypes.of(crd).ifPresent(this::watch);
        }

        @Override
        public void onUpdate(CustomResourceDefinition old, CustomResourceDefinition crd) {
            onAdd(crd);
        }

        @Override
        public void onDelete(CustomResourceDefinition crd, boolean finalStateUnknown) {
        }

        private void watch(ResourceType type) {
            if (graph.watches(type.group(), type.kind())) return;
            KafkaInformer<GenericKubernetesResource> informer = context.informers().informer(type, GenericKubernetesResource.class);
            informer.addIndex(Graph.OWNER_INDEX, Graph::ownerUids);
            if (!graph.add(type, informer.cache())) return;
            informer.addHandler(new Handler(type, graph, controller));
            informer.start();
            log.info("the garbage collector follows {} ({})", type.plural() + "." + type.group(), type.apiVersion());
            // Dependents whose owners are of this kind were judged without seeing them: judge them again once listed.
            Thread.ofVirtual().name("gc-sync-" + type.plural()).start(() -> {
                try {
                    if (informer.awaitSynced(java.time.Duration.ofMinutes(5))) controller.resync();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
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
