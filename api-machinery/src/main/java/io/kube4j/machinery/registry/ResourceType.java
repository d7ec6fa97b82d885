package io.kube4j.machinery.registry;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One served resource: the join of a kind, its REST resource name, its etcd prefix and its
 * Kafka topic. Instances are immutable values; a built-in type and a custom resource defined by
 * a CustomResourceDefinition are described the same way.
 *
 * @param group        API group, empty for the core group
 * @param version      the served version, e.g. {@code v1}
 * @param kind         the kind, e.g. {@code Deployment}
 * @param plural       the REST resource name, e.g. {@code deployments}
 * @param singular     the singular name, e.g. {@code deployment}
 * @param namespaced   whether objects live in a namespace
 * @param shortNames   short names kubectl accepts, e.g. {@code deploy}
 * @param categories   categories such as {@code all}
 * @param subresources served subresources, e.g. {@code status}, {@code scale}, {@code binding}
 */
public record ResourceType(
        String group,
        String version,
        String kind,
        String plural,
        String singular,
        boolean namespaced,
        List<String> shortNames,
        List<String> categories,
        Set<String> subresources) {

    /** The verbs every resource serves. */
    public static final List<String> VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    public ResourceType {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(plural, "plural");
        singular = singular == null || singular.isEmpty() ? kind.toLowerCase() : singular;
        shortNames = List.copyOf(shortNames == null ? List.of() : shortNames);
        categories = List.copyOf(categories == null ? List.of() : categories);
        subresources = Set.copyOf(subresources == null ? Set.of() : subresources);
    }

    /** {@code v1} for the core group, {@code apps/v1} otherwise: the objects' {@code apiVersion}. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** {@code /api/v1} for the core group, {@code /apis/apps/v1} otherwise: where this version is served. */
    public String apiPath() {
        return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    }

    /** The group's name in storage keys and topic names: {@code core} for the core group. */
    public String storageGroup() {
        return group.isEmpty() ? "core" : group;
    }

    /** {@code /registry/{group}/{resource}/}: every object of this type is stored under it. */
    public String keyPrefix() {
        return "/registry/" + storageGroup() + "/" + plural + "/";
    }

    /** Prefix of one namespace's objects, or of all objects for a cluster-scoped type or a null namespace. */
    public String keyPrefix(String namespace) {
        return namespaced && namespace != null && !namespace.isEmpty()
                ? keyPrefix() + namespace + "/"
                : keyPrefix();
    }

    /** {@code /registry/{group}/{resource}/{namespace}/{name}}, or without the namespace for cluster-scoped types. */
    public String key(String namespace, String name) {
        return namespaced ? keyPrefix() + namespace + "/" + name : keyPrefix() + name;
    }

    /** The Kafka topic that carries this type's change events: {@code registry.{group}.{resource}}. */
    public String topic() {
        return topicFor(storageGroup(), plural);
    }

    /** The topic name for a storage group and resource; shared by the relay, which sees only keys. */
    public static String topicFor(String storageGroup, String plural) {
        return "registry." + storageGroup + "." + plural;
    }

    /** The list kind, e.g. {@code DeploymentList}. */
    public String listKind() {
        return kind + "List";
    }

    /**
     * The verbs this resource serves: all of {@link #VERBS}; only {@code create} for the review
     * kinds; only {@code get} and {@code list} for the metrics kinds and ComponentStatus.
     */
    public List<String> verbs() {
        if (BuiltInTypes.REVIEWS.contains(this)) return List.of("create");
        if (BuiltInTypes.METRICS.contains(this) || BuiltInTypes.COMPONENT_STATUS.equals(this)) return List.of("get", "list");
        return VERBS;
    }

    public boolean hasSubresource(String name) {
        return subresources.contains(name);
    }

    /** The same resource under another version (a custom resource serving several versions). */
    public ResourceType withVersion(String otherVersion) {
        return new ResourceType(group, otherVersion, kind, plural, singular, namespaced, shortNames, categories, subresources);
    }
}
