package io.kube4j.gateway.discovery;

import io.kube4j.machinery.registry.ResourceType;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The discovery documents of one set of served types, as kube-apiserver writes them: the legacy
 * {@code APIVersions}, {@code APIGroupList}, {@code APIGroup} and {@code APIResourceList}, and
 * the aggregated {@code apidiscovery.k8s.io/v2} {@code APIGroupDiscoveryList}.
 *
 * <p>An immutable value computed from a list of types; pure, thread-safe. Groups appear core first,
 * then alphabetically; versions in {@link VersionPriority} order, the first being preferred.
 */
public final class DiscoveryDocuments {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** The group name → its versions (priority order) → the types of that version (by plural). */
    private final Map<String, Map<String, List<ResourceType>>> groups;

    public DiscoveryDocuments(List<ResourceType> types) {
        Map<String, Map<String, List<ResourceType>>> byGroup = new LinkedHashMap<>();
        List<ResourceType> sorted = new ArrayList<>(types);
        sorted.sort(Comparator.comparing((ResourceType t) -> !t.group().isEmpty())
                .thenComparing(ResourceType::group)
                .thenComparing(ResourceType::version, VersionPriority.INSTANCE)
                .thenComparing(ResourceType::plural));
        for (ResourceType type : sorted) {
            byGroup.computeIfAbsent(type.group(), g -> new LinkedHashMap<>())
                    .computeIfAbsent(type.version(), v -> new ArrayList<>())
                    .add(type);
        }
        this.groups = byGroup;
    }

    /** The versions served by {@code group}, preferred first; empty when the group is not served. */
    public List<String> versions(String group) {
        Map<String, List<ResourceType>> versions = groups.get(group);
        return versions == null ? List.of() : List.copyOf(versions.keySet());
    }

    /** {@code GET /api}: the core group's versions. */
    public ObjectNode apiVersions(String serverAddress) {
        ObjectNode doc = JSON.objectNode();
        doc.put("kind", "APIVersions");
        ArrayNode versions = doc.putArray("versions");
        versions("").forEach(versions::add);
        if (versions.isEmpty()) {
            versions.add("v1");
        }
        ArrayNode cidrs = doc.putArray("serverAddressByClientCIDRs");
        ObjectNode cidr = cidrs.addObject();
        cidr.put("clientCIDR", "0.0.0.0/0");
        cidr.put("serverAddress", serverAddress);
        return doc;
    }

    /** {@code GET /apis}: every named group. */
    public ObjectNode groupList() {
        ObjectNode doc = JSON.objectNode();
        doc.put("kind", "APIGroupList");
        doc.put("apiVersion", "v1");
        ArrayNode items = doc.putArray("groups");
        groups.keySet().stream().filter(g -> !g.isEmpty()).forEach(g -> items.add(groupBody(g)));
        return doc;
    }

    /** {@code GET /apis/{group}}; empty when the group is not served. */
    public Optional<ObjectNode> group(String group) {
        if (group.isEmpty() || !groups.containsKey(group)) {
            return Optional.empty();
        }
        ObjectNode doc = JSON.objectNode();
        doc.put("kind", "APIGroup");
        doc.put("apiVersion", "v1");
        doc.setAll(groupBody(group));
        return Optional.of(doc);
    }

    private ObjectNode groupBody(String group) {
        ObjectNode body = JSON.objectNode();
        body.put("name", group);
        ArrayNode versions = body.putArray("versions");
        for (String version : versions(group)) {
            versions.add(groupVersion(group, version));
        }
        body.set("preferredVersion", groupVersion(group, versions(group).getFirst()));
        return body;
    }

    private static ObjectNode groupVersion(String group, String version) {
        ObjectNode gv = JSON.objectNode();
        gv.put("groupVersion", group + "/" + version);
        gv.put("version", version);
        return gv;
    }

    /** {@code GET /api/v1} or {@code GET /apis/{group}/{version}}; empty when not served. */
    public Optional<ObjectNode> resourceList(String group, String version) {
        List<ResourceType> types = groups.getOrDefault(group, Map.of()).get(version);
        if (types == null) {
            return Optional.empty();
        }
        ObjectNode doc = JSON.objectNode();
        doc.put("kind", "APIResourceList");
        if (!group.isEmpty()) {
            doc.put("apiVersion", "v1");
        }
        doc.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode resources = doc.putArray("resources");
        for (ResourceType type : types) {
            ObjectNode resource = resources.addObject();
            resource.put("name", type.plural());
            resource.put("singularName", type.singular());
            resource.put("namespaced", type.namespaced());
            resource.put("kind", type.kind());
            strings(resource.putArray("verbs"), type.verbs());
            if (!type.shortNames().isEmpty()) {
                strings(resource.putArray("shortNames"), type.shortNames());
            }
            if (!type.categories().isEmpty()) {
                strings(resource.putArray("categories"), type.categories());
            }
            for (Subresource sub : Subresource.of(type)) {
                ObjectNode entry = resources.addObject();
                entry.put("name", type.plural() + "/" + sub.name());
                entry.put("singularName", "");
                entry.put("namespaced", type.namespaced());
                if (!sub.group().equals(group) || !sub.version().equals(version)) {
                    entry.put("group", sub.group());
                    entry.put("version", sub.version());
                }
                entry.put("kind", sub.kind());
                strings(entry.putArray("verbs"), sub.verbs());
            }
        }
        return Optional.of(doc);
    }

    /**
     * The aggregated discovery document: of the core group alone ({@code legacy}, for {@code /api})
     * or of every named group (for {@code /apis}).
     */
    public ObjectNode aggregated(boolean legacy) {
        ObjectNode doc = JSON.objectNode();
        doc.put("kind", "APIGroupDiscoveryList");
        doc.put("apiVersion", "apidiscovery.k8s.io/v2");
        doc.putObject("metadata");
        ArrayNode items = doc.putArray("items");
        for (Map.Entry<String, Map<String, List<ResourceType>>> group : groups.entrySet()) {
            if (group.getKey().isEmpty() != legacy) {
                continue;
            }
            ObjectNode item = items.addObject();
            ObjectNode metadata = item.putObject("metadata");
            if (!legacy) {
                metadata.put("name", group.getKey());
            }
            ArrayNode versions = item.putArray("versions");
            for (Map.Entry<String, List<ResourceType>> version : group.getValue().entrySet()) {
                ObjectNode v = versions.addObject();
                v.put("version", version.getKey());
                ArrayNode resources = v.putArray("resources");
                version.getValue().forEach(type -> resources.add(aggregatedResource(type)));
                v.put("freshness", "Current");
            }
        }
        return doc;
    }

    private static ObjectNode aggregatedResource(ResourceType type) {
        ObjectNode resource = JSON.objectNode();
        resource.put("resource", type.plural());
        resource.set("responseKind", gvk(type.group(), type.version(), type.kind()));
        resource.put("scope", type.namespaced() ? "Namespaced" : "Cluster");
        resource.put("singularResource", type.singular());
        strings(resource.putArray("verbs"), type.verbs());
        if (!type.shortNames().isEmpty()) {
            strings(resource.putArray("shortNames"), type.shortNames());
        }
        if (!type.categories().isEmpty()) {
            strings(resource.putArray("categories"), type.categories());
        }
        List<Subresource> subresources = Subresource.of(type);
        if (!subresources.isEmpty()) {
            ArrayNode subs = resource.putArray("subresources");
            for (Subresource sub : subresources) {
                ObjectNode entry = subs.addObject();
                entry.put("subresource", sub.name());
                ObjectNode kind = gvk(sub.group(), sub.version(), sub.kind());
                entry.set("responseKind", kind);
                entry.putArray("acceptedTypes").add(kind.deepCopy());
                strings(entry.putArray("verbs"), sub.verbs());
            }
        }
        return resource;
    }

    private static ObjectNode gvk(String group, String version, String kind) {
        ObjectNode node = JSON.objectNode();
        node.put("group", group);
        node.put("version", version);
        node.put("kind", kind);
        return node;
    }

    private static void strings(ArrayNode array, Iterable<String> values) {
        values.forEach(array::add);
    }
}
