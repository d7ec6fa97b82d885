package io.kube4j.controller.gc;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.kube4j.machinery.informer.Cache;
import io.kube4j.machinery.informer.ObjectKeys;
import io.kube4j.machinery.registry.ResourceType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The owner–dependent graph the collector reads: one cache per watched type, each indexed by the
 * uids its objects name as owners ({@link #OWNER_INDEX}). Edges are never stored apart from the
 * objects, so the graph is exactly as fresh as the caches. Types join while it runs (custom
 * resources, {@link #add}); otherwise read-only. Thread-safe as its caches are.
 *
 * <p>Work-queue keys name an object of any type: {@code {plural}[.{group}]/{namespace}/{name}}
 * (cluster-scoped: {@code {plural}[.{group}]/{name}}).
 */
public final class Graph {

    /** The index every watched cache carries: the uids of an object's owners. */
    public static final String OWNER_INDEX = "gc-owner-uid";

    /** Replaced whole on {@link #add}, so readers iterate a stable map without locking. */
    private volatile Map<ResourceType, Cache<? extends HasMetadata>> caches = Map.of();
    private final Map<String, ResourceType> byResourceId = new ConcurrentHashMap<>();
    private final Map<String, ResourceType> byGroupKind = new ConcurrentHashMap<>();

    public Graph(Map<ResourceType, Cache<? extends HasMetadata>> caches) {
        caches.forEach(this::add);
    }

    /**
     * Watches one more type, e.g. one a CustomResourceDefinition added; its cache must carry
     * {@link #OWNER_INDEX}. Adding a resource already watched changes nothing. Returns whether
     * the type was added.
     */
    public synchronized boolean add(ResourceType type, Cache<? extends HasMetadata> cache) {
        if (byResourceId.containsKey(resourceId(type))) return false;
        Map<ResourceType, Cache<? extends HasMetadata>> next = new LinkedHashMap<>(caches);
        next.put(type, cache);
        // The cache first: a reader that finds the type by name must find its cache.
        caches = java.util.Collections.unmodifiableMap(next);
        byResourceId.put(resourceId(type), type);
        byGroupKind.put(type.group() + "/" + type.kind(), type);
        return true;
    }

    /** Whether objects of {@code group}/{@code kind} are watched. */
    public boolean watches(String group, String kind) {
        return byGroupKind.containsKey(group + "/" + kind);
    }

    /** An object of a watched type together with its type. */
    public record Item(ResourceType type, HasMetadata object) {
        public String key() {
            return Graph.key(type, object);
        }

        public String uid() {
            return object.getMetadata().getUid();
        }

        public String namespace() {
            return object.getMetadata().getNamespace();
        }

        public String name() {
            return object.getMetadata().getName();
        }
    }

    /** The owner-uid index function every watched cache is given. */
    public static List<String> ownerUids(HasMetadata object) {
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
        if (refs == null || refs.isEmpty()) return List.of();
        List<String> uids = new ArrayList<>(refs.size());
        for (OwnerReference ref : refs) if (ref.getUid() != null) uids.add(ref.getUid());
        return uids;
    }

    static String resourceId(ResourceType type) {
        return type.group().isEmpty() ? type.plural() : type.plural() + "." + type.group();
    }

    public static String key(ResourceType type, HasMetadata object) {
        return resourceId(type) + "/" + ObjectKeys.key(object);
    }

    public Map<ResourceType, Cache<? extends HasMetadata>> caches() {
        return caches;
    }

    /** The object a work-queue key names, if cached. */
    public Optional<Item> get(String key) {
        int slash = key.indexOf('/');
        if (slash < 0) return Optional.empty();
        ResourceType type = byResourceId.get(key.substring(0, slash));
        if (type == null) return Optional.empty();
        return caches.get(type).get(key.substring(slash + 1)).map(o -> new Item(type, o));
    }

    /** The watched type of an owner reference's apiVersion and kind (any version of the group). */
    public Optional<ResourceType> typeOf(String apiVersion, String kind) {
        String group = apiVersion == null || !apiVersion.contains("/") ? "" : apiVersion.substring(0, apiVersion.indexOf('/'));
        return Optional.ofNullable(byGroupKind.get(group + "/" + kind));
    }

    public Optional<HasMetadata> get(ResourceType type, String namespace, String name) {
        Cache<? extends HasMetadata> cache = caches.get(type);
        if (cache == null) return Optional.empty();
        return cache.get(type.namespaced() ? namespace : null, name).map(o -> (HasMetadata) o);
    }

    /** Every cached object that names {@code ownerUid} among its owners. */
    public List<Item> dependents(String ownerUid) {
        List<Item> result = new ArrayList<>();
        caches.forEach((type, cache) -> {
            for (HasMetadata o : cache.byIndex(OWNER_INDEX, ownerUid)) result.add(new Item(type, o));
        });
        return result;
    }

    /** Keys of every object the collector may have work on: those with owners or a collector finalizer. */
    public List<String> keysWithWork() {
        List<String> keys = new ArrayList<>();
        caches.forEach((type, cache) -> {
            for (HasMetadata o : cache.list()) {
                if (!ownerUids(o).isEmpty() || Collector.hasCollectorFinalizer(o)) keys.add(key(type, o));
            }
        });
        return keys;
    }
}
