package io.kube4j.gateway.crd;

import io.kube4j.gateway.openapi.CustomResourceSchemas;
import io.kube4j.gateway.storage.DeleteOptions;
import io.kube4j.gateway.storage.ListOptions;
import io.kube4j.gateway.storage.ResourceStorage;
import io.kube4j.gateway.watch.CachedEvent;
import io.kube4j.gateway.watch.WatchCache;
import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.object.KubeObject;
import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.machinery.registry.ResourceRegistry;
import io.kube4j.machinery.registry.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the registry's custom resource types in step with the stored
 * CustomResourceDefinitions: a definition is served as soon as it is stored, by every gateway
 * (each follows the definitions through its watch cache), and a deleted definition takes its
 * custom resources with it before it goes (the cleanup finalizer).
 */
public final class CustomResourceTypes implements CustomResourceSchemas {

    private static final Logger log = LoggerFactory.getLogger(CustomResourceTypes.class);
    private static final ResourceType CRD = BuiltInTypes.CUSTOM_RESOURCE_DEFINITION;

    private final ResourceRegistry registry;
    private final ResourceStorage storage;
    private final WatchCache cache;
    /** The stored definitions by name, for schemas and printer columns. */
    private final Map<String, ObjectNode> definitions = new ConcurrentHashMap<>();
    /** Grows after every change to {@link #definitions}, for caches of what is derived from them. */
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

    public CustomResourceTypes(ResourceRegistry registry, ResourceStorage storage, WatchCache cache) {
        this.registry = registry;
        this.storage = storage;
        this.cache = cache;
    }

    /** Loads the stored definitions and follows changes. Call once the watch cache runs. */
    public void start() {
        cache.addListener(this::onEvent);
        for (ObjectNode crd : storage.list(CRD, null, ListOptions.all()).items()) {
            apply(crd);
        }
    }

    /** The stored definition of {@code group}/{@code plural}, if any. */
    public Optional<ObjectNode> definition(String group, String plural) {
        return Optional.ofNullable(definitions.get(plural + "." + group));
    }

    /** A number that grows after every change to the stored definitions. */
    @Override
    public long generation() {
        return generation.get();
    }

    /** The openAPIV3Schema of the definition serving {@code group/version/kind}, if any. */
    @Override
    public Optional<JsonNode> openApiV3Schema(String group, String version, String kind) {
        for (ObjectNode crd : definitions.values()) {
            JsonNode spec = crd.path("spec");
            if (spec.path("group").asString("").equals(group) && spec.path("names").path("kind").asString("").equals(kind)) {
                return Optional.ofNullable(CustomResourceDefinitions.schema(crd, version));
            }
        }
        return Optional.empty();
    }

    private void onEvent(CachedEvent event) {
        if (!event.key().startsWith(CRD.keyPrefix())) return;
        if (event.isDelete()) {
            remove(event.object());
        } else {
            apply(event.object());
        }
    }

    private void apply(ObjectNode crd) {
        String name = KubeObject.name(crd);
        ObjectNode previous = definitions.put(name, crd);
        if (previous != null) {
            unregister(previous);
        }
        CustomResourceDefinitions.servedTypes(crd).forEach(registry::register);
        generation.incrementAndGet();
        if (KubeObject.isDeleting(crd) && KubeObject.finalizers(crd).contains(CustomResourceDefinitionStrategy.CLEANUP_FINALIZER)) {
            Thread.ofVirtual().name("crd-cleanup " + name).start(() -> cleanUp(crd));
        }
    }

    private void remove(ObjectNode crd) {
        definitions.remove(KubeObject.name(crd));
        unregister(crd);
        generation.incrementAndGet();
    }

    private void unregister(ObjectNode crd) {
        JsonNode spec = crd.path("spec");
        registry.unregister(spec.path("group").asString(""), spec.path("names").path("plural").asString(""));
    }

    /** Deletes every custom resource of a definition being deleted, then lets the definition go. */
    private void cleanUp(ObjectNode crd) {
        String name = KubeObject.name(crd);
        List<ResourceType> types = CustomResourceDefinitions.servedTypes(crd);
        try {
            if (!types.isEmpty()) {
                ResourceType type = types.getFirst();
                for (ObjectNode object : storage.list(type, null, ListOptions.all()).items()) {
                    try {
                        storage.delete(type, KubeObject.namespace(object), KubeObject.name(object), DeleteOptions.defaults());
                    } catch (ApiException e) {
                        if (e.code() != 404) throw e;
                    }
                }
            }
            storage.mutate(CRD, null, name, current -> {
                ObjectNode next = current.deepCopy();
                KubeObject.metadata(next).remove("resourceVersion");
                JsonNode finalizers = KubeObject.metadata(next).path("finalizers");
                if (finalizers instanceof ArrayNode array) {
                    for (int i = array.size() - 1; i >= 0; i--) {
                        if (array.get(i).asString().equals(CustomResourceDefinitionStrategy.CLEANUP_FINALIZER)) array.remove(i);
                    }
                }
                return next;
            }, ResourceStorage.Part.MAIN, false);
        } catch (ApiException e) {
            if (e.code() != 404) log.warn("cleaning up custom resources of {} failed: {}", name, e.getMessage());
        }
    }
}
