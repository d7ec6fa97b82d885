package io.kube4j.gateway.openapi;

import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where the fabric8 model classes stand in Kubernetes' API: which class models a kind, and which
 * OpenAPI definition name ({@code io.k8s.api.apps.v1.Deployment}) a model class has.
 *
 * <p>Built once from the model jars' {@code KubernetesResource} service registrations and the
 * classes' {@code @Group}/{@code @Version} annotations; immutable and thread-safe afterwards.
 */
public final class KubernetesModelIndex {

    static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";
    static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";

    /** apimachinery types that fabric8 keeps in its core package beside the core/v1 kinds. */
    private static final Set<String> META_TYPES = Set.of(
            "APIGroup", "APIGroupList", "APIResource", "APIResourceList", "APIVersions", "Condition",
            "CreateOptions", "DeleteOptions", "FieldSelectorRequirement", "FieldsV1", "GetOptions",
            "GroupVersionForDiscovery", "LabelSelector", "LabelSelectorRequirement", "ListMeta", "ListOptions",
            "ManagedFieldsEntry", "MicroTime", "ObjectMeta", "OwnerReference", "PartialObjectMetadata",
            "PartialObjectMetadataList", "Patch", "PatchOptions", "Preconditions", "RootPaths",
            "ServerAddressByClientCIDR", "Status", "StatusCause", "StatusDetails", "Time", "UpdateOptions",
            "WatchEvent", "Duration", "GroupKind", "GroupResource", "GroupVersionKind", "GroupVersionResource",
            "TypeMeta");

    private static final Map<String, String> SPECIAL_NAMES = Map.of(
            MODEL_PACKAGE + ".Quantity", "io.k8s.apimachinery.pkg.api.resource.Quantity",
            MODEL_PACKAGE + ".IntOrString", "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
            MODEL_PACKAGE + ".runtime.RawExtension", "io.k8s.apimachinery.pkg.runtime.RawExtension",
            MODEL_PACKAGE + ".version.Info", "io.k8s.apimachinery.pkg.version.Info");

    private record GroupVersion(String group, String version) {}

    private final Map<GroupVersionKind, Class<?>> kinds;
    private final Map<String, GroupVersion> packages;

    private KubernetesModelIndex(Map<GroupVersionKind, Class<?>> kinds, Map<String, GroupVersion> packages) {
        this.kinds = Map.copyOf(kinds);
        this.packages = Map.copyOf(packages);
    }

    /** Indexes every model class registered on the class path. */
    public static KubernetesModelIndex load() {
        return of(ServiceLoader.load(KubernetesResource.class, KubernetesModelIndex.class.getClassLoader())
                .stream().<Class<?>>map(ServiceLoader.Provider::type).toList());
    }

    /** Indexes the given model classes (those without {@code @Group}/{@code @Version} are skipped). */
    public static KubernetesModelIndex of(List<Class<?>> classes) {
        Map<GroupVersionKind, Class<?>> kinds = new HashMap<>();
        Map<String, Map<GroupVersion, Long>> votes = new HashMap<>();
        for (Class<?> type : classes) {
            Group group = type.getAnnotation(Group.class);
            Version version = type.getAnnotation(Version.class);
            if (group == null || version == null) {
                continue;
            }
            Kind kindAnnotation = type.getAnnotation(Kind.class);
            String kind = kindAnnotation != null ? kindAnnotation.value() : type.getSimpleName();
            kinds.putIfAbsent(new GroupVersionKind(group.value(), version.value(), kind), type);
            votes.computeIfAbsent(type.getPackageName(), p -> new HashMap<>())
                    .merge(new GroupVersion(group.value(), version.value()), 1L, Long::sum);
        }
        // A package's group and version are those most of its kinds declare (fabric8's core
        // package also holds a few kinds of other groups).
        Map<String, GroupVersion> packages = votes.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> e.getValue().entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey()));
        return new KubernetesModelIndex(kinds, packages);
    }

    /** The model class of a kind, if fabric8 models it. */
    public Optional<Class<?>> kindClass(GroupVersionKind gvk) {
        return Optional.ofNullable(kinds.get(gvk));
    }

    /** The kind a model class stands for, when it is a kind (or a kind's list). */
    public Optional<GroupVersionKind> kindOf(Class<?> type) {
        Group group = type.getAnnotation(Group.class);
        Version version = type.getAnnotation(Version.class);
        if (group == null || version == null) {
            return Optional.empty();
        }
        Kind kindAnnotation = type.getAnnotation(Kind.class);
        return Optional.of(new GroupVersionKind(group.value(), version.value(),
                kindAnnotation != null ? kindAnnotation.value() : type.getSimpleName()));
    }

    /** The OpenAPI definition name Kubernetes gives the type a model class stands for. */
    public String definitionName(Class<?> type) {
        String special = SPECIAL_NAMES.get(type.getName());
        if (special != null) {
            return special;
        }
        String simple = type.getSimpleName();
        String pkg = type.getPackageName();
        if (pkg.equals(MODEL_PACKAGE) && META_TYPES.contains(simple)) {
            return META + simple;
        }
        GroupVersion gv = kindOf(type).map(k -> new GroupVersion(k.group(), k.version()))
                .filter(k -> !pkg.equals(MODEL_PACKAGE) || k.group().isEmpty())
                .orElseGet(() -> packages.get(pkg));
        if (gv == null) {
            gv = guess(pkg);
        }
        return apiPackage(gv.group()) + "." + gv.version() + "." + simple;
    }

    /** The Go package path Kubernetes' definition names start with for an API group. */
    public static String apiPackage(String group) {
        return switch (group) {
            case "" -> "io.k8s.api.core";
            case "apiextensions.k8s.io" -> "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions";
            case "apiregistration.k8s.io" -> "io.k8s.kube-aggregator.pkg.apis.apiregistration";
            default -> "io.k8s.api." + group.substring(0, group.contains(".") ? group.indexOf('.') : group.length());
        };
    }

    /** For a package without kinds: fabric8 names packages after the group's first word, then the version. */
    private static GroupVersion guess(String pkg) {
        if (!pkg.startsWith(MODEL_PACKAGE + ".")) {
            return new GroupVersion("", "v1");
        }
        List<String> parts = List.of(pkg.substring(MODEL_PACKAGE.length() + 1).split("\\."));
        String last = parts.getLast();
        boolean versioned = last.matches("v\\d+.*");
        return new GroupVersion(parts.getFirst(), versioned ? last : "v1");
    }
}
