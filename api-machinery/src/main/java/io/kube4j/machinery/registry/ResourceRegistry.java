package io.kube4j.machinery.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The set of served resource types, looked up by REST path parts or by apiVersion and kind.
 *
 * <p>Thread-safe: readers see an immutable snapshot; {@link #register} and {@link #unregister}
 * replace it atomically, so custom resources appear and disappear while requests are served.
 * Registering a type that is already present (same group, version and plural) replaces it.
 */
public final class ResourceRegistry {

    private record Snapshot(Map<String, ResourceType> byResource, Map<String, ResourceType> byKind) {}

    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(new Snapshot(Map.of(), Map.of()));
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

    public ResourceRegistry(Collection<ResourceType> initial) {
        initial.forEach(this::register);
    }

    /** A registry that serves every built-in kind. */
    public static ResourceRegistry builtIn() {
        return new ResourceRegistry(BuiltInTypes.ALL);
    }

    private static String resourceKey(String group, String version, String plural) {
        return group + "/" + version + "/" + plural;
    }

    private static String kindKey(String apiVersion, String kind) {
        return apiVersion + "/" + kind;
    }

    public void register(ResourceType type) {
        snapshot.updateAndGet(s -> {
            Map<String, ResourceType> byResource = new LinkedHashMap<>(s.byResource());
            Map<String, ResourceType> byKind = new LinkedHashMap<>(s.byKind());
            byResource.put(resourceKey(type.group(), type.version(), type.plural()), type);
            byKind.put(kindKey(type.apiVersion(), type.kind()), type);
            return new Snapshot(Map.copyOf(byResource), Map.copyOf(byKind));
        });
        generation.incrementAndGet();
    }

    /**
     * A number that grows with every {@link #register} and {@link #unregister}, so that what is
     * derived from the served types (discovery, OpenAPI) can be cached until it changes.
     */
    public long generation() {
        return generation.get();
    }

    /** Removes every version of {@code group/plural}. */
    public void unregister(String group, String plural) {
        snapshot.updateAndGet(s -> {
            Map<String, ResourceType> byResource = new LinkedHashMap<>(s.byResource());
            Map<String, ResourceType> byKind = new LinkedHashMap<>(s.byKind());
            byResource.values().removeIf(t -> t.group().equals(group) && t.plural().equals(plural));
            byKind.values().removeIf(t -> t.group().equals(group) && t.plural().equals(plural));
            return new Snapshot(Map.copyOf(byResource), Map.copyOf(byKind));
        });
        generation.incrementAndGet();
    }

    public Optional<ResourceType> byResource(String group, String version, String plural) {
        return Optional.ofNullable(snapshot.get().byResource().get(resourceKey(group, version, plural)));
    }

    public Optional<ResourceType> byKind(String apiVersion, String kind) {
        return Optional.ofNullable(snapshot.get().byKind().get(kindKey(apiVersion, kind)));
    }

    /** Every served type, in a stable order: groups as registered, then versions, then resources. */
    public List<ResourceType> all() {
        List<ResourceType> types = new ArrayList<>(snapshot.get().byResource().values());
        types.sort(java.util.Comparator.comparing(ResourceType::group)
                .thenComparing(ResourceType::version)
                .thenComparing(ResourceType::plural));
        return types;
    }

    /** The served types of one group and version. */
    public List<ResourceType> groupVersion(String group, String version) {
        return all().stream().filter(t -> t.group().equals(group) && t.version().equals(version)).toList();
    }
}
