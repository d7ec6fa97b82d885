package io.kube4j.machinery.patch;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.kube4j.machinery.registry.BuiltInTypes;

/**
 * The patch metadata of the built-in kinds: the {@code patchStrategy}/{@code patchMergeKey} tags of the Kubernetes
 * API types (k8s.io/api), held as a small graph of types so that a pod template is described once and reached from
 * every workload (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob's job template,
 * ReplicationController, PodTemplate).
 *
 * <p>Custom resources get {@link PatchMeta#NONE}; kube-apiserver refuses strategic merge patches for them
 * (415), which the gateway decides with {@link #supportsStrategicMerge}. Immutable and thread-safe.
 */
public final class KubernetesPatchMeta implements PatchMeta {

    /** A field of a type: its metadata and, when it is an object or a list of objects, the type of that object. */
    private record Field(FieldMeta meta, String type) {}

    private static final Map<String, Map<String, Field>> TYPES = new HashMap<>();
    private static final Map<String, String> KINDS = new HashMap<>();
    /** Per type, the object and list fields of its Go zero value (see {@link PatchMeta#alwaysPresent}). */
    private static final Map<String, Set<String>> PRESENT = new HashMap<>();

    private static final FieldMeta ATOMIC = new FieldMeta(FieldMeta.Strategy.DEFAULT, null, false, true);

    private static void type(String name, Object... fields) {
        Map<String, Field> map = new HashMap<>();
        for (int i = 0; i < fields.length; i += 3) {
            map.put((String) fields[i], new Field((FieldMeta) fields[i + 1], (String) fields[i + 2]));
        }
        TYPES.put(name, map);
    }

    private static FieldMeta key(String mergeKey) {
        return FieldMeta.mergeByKey(mergeKey);
    }

    private static void kind(String group, String kind, String type) {
        KINDS.put(group + "/" + kind, type);
    }

    /**
     * The object and list fields of a type that its Go struct always serializes: structs held by value (with or
     * without {@code omitempty}, which never drops a struct) and nil slices or pointers tagged without
     * {@code omitempty} (written as {@code null}). Scalars do not matter here: a scalar is owned the same way
     * whether it was there before or not.
     */
    private static void present(String type, String... fields) {
        PRESENT.put(type, Set.of(fields));
    }

    static {
        FieldMeta plain = FieldMeta.DEFAULT;
        FieldMeta set = FieldMeta.mergeAsSet();
        FieldMeta byType = key("type");

        type("ObjectMeta",
                "finalizers", set, null,
                // OwnerReference is +structType=atomic
                "ownerReferences", key("uid").withAtomicElements(), null);
        type("PodTemplateSpec",
                "metadata", plain, "ObjectMeta",
                "spec", plain, "PodSpec");
        type("PodSpec",
                "volumes", key("name").withRetainKeys(), null,
                "initContainers", key("name"), "Container",
                "containers", key("name"), "Container",
                "ephemeralContainers", key("name"), "Container",
                "imagePullSecrets", key("name"), null,
                "hostAliases", key("ip"), null,
                "topologySpreadConstraints", key("topologyKey"), null,
                "schedulingGates", key("name"), null,
                "resourceClaims", key("name").withRetainKeys(), null);
        type("Container",
                "ports", key("containerPort").withMoreKeys("protocol"), null,
                "env", key("name"), null,
                "volumeMounts", key("mountPath"), null,
                "volumeDevices", key("devicePath"), null);
        type("PodStatus",
                "conditions", byType, null,
                "podIPs", key("ip"), null,
                "hostIPs", key("ip"), null,
                "resourceClaimStatuses", key("name").withRetainKeys(), null);
        type("ConditionsStatus",
                "conditions", byType, null);
        type("WorkloadSpec",
                "template", plain, "PodTemplateSpec",
                "selector", ATOMIC, null);
        type("DeploymentSpec",
                "template", plain, "PodTemplateSpec",
                "selector", ATOMIC, null,
                "strategy", plain.withRetainKeys(), null);
        type("JobTemplateSpec",
                "metadata", plain, "ObjectMeta",
                "spec", plain, "WorkloadSpec");
        type("CronJobSpec",
                "jobTemplate", plain, "JobTemplateSpec");
        type("ReplicationControllerSpec",
                "template", plain, "PodTemplateSpec",
                "selector", ATOMIC, null);
        type("ServiceSpec",
                "ports", key("port").withMoreKeys("protocol"), null,
                "selector", ATOMIC, null);
        type("ServiceStatus",
                "conditions", byType, null,
                "loadBalancer", plain, null);
        type("NodeSpec",
                "podCIDRs", set, null);
        type("NodeStatus",
                "conditions", byType, null,
                "addresses", byType, null);
        // PodDisruptionBudgetSpec.selector carries patchStrategy "replace"
        type("SelectorSpec",
                "selector", new FieldMeta(FieldMeta.Strategy.REPLACE, null, false, true), null);

        type("Pod", "metadata", plain, "ObjectMeta", "spec", plain, "PodSpec", "status", plain, "PodStatus");
        type("PodTemplate", "metadata", plain, "ObjectMeta", "template", plain, "PodTemplateSpec");
        type("Deployment", "metadata", plain, "ObjectMeta", "spec", plain, "DeploymentSpec",
                "status", plain, "ConditionsStatus");
        type("Workload", "metadata", plain, "ObjectMeta", "spec", plain, "WorkloadSpec",
                "status", plain, "ConditionsStatus");
        type("CronJob", "metadata", plain, "ObjectMeta", "spec", plain, "CronJobSpec");
        type("ReplicationController", "metadata", plain, "ObjectMeta", "spec", plain, "ReplicationControllerSpec",
                "status", plain, "ConditionsStatus");
        type("Service", "metadata", plain, "ObjectMeta", "spec", plain, "ServiceSpec",
                "status", plain, "ServiceStatus");
        type("Node", "metadata", plain, "ObjectMeta", "spec", plain, "NodeSpec", "status", plain, "NodeStatus");
        type("WithConditions", "metadata", plain, "ObjectMeta", "status", plain, "ConditionsStatus");
        type("PersistentVolumeClaim", "metadata", plain, "ObjectMeta", "spec", plain, "ClaimSpec",
                "status", plain, "ConditionsStatus");
        type("ClaimSpec", "resources", plain, null);
        type("HorizontalPodAutoscaler", "metadata", plain, "ObjectMeta", "spec", plain, "AutoscalerSpec",
                "status", plain, "ConditionsStatus");
        type("AutoscalerSpec", "scaleTargetRef", plain, null);
        type("WithSpec", "metadata", plain, "ObjectMeta", "spec", plain, null, "status", plain, null);
        type("Ingress", "metadata", plain, "ObjectMeta", "spec", plain, null, "status", plain, "ServiceStatus");
        type("NetworkPolicy", "metadata", plain, "ObjectMeta", "spec", plain, "NetworkPolicySpec");
        // LabelSelector and ObjectReference are +structType=atomic
        type("NetworkPolicySpec", "podSelector", ATOMIC, null);
        type("Event", "metadata", plain, "ObjectMeta", "involvedObject", ATOMIC, null, "related", ATOMIC, null);
        type("CustomResourceDefinition", "metadata", plain, "ObjectMeta", "spec", plain, "DefinitionSpec",
                "status", plain, "DefinitionStatus");
        type("DefinitionSpec", "names", plain, null);
        type("DefinitionStatus", "conditions", byType, null, "acceptedNames", plain, null);
        type("ServiceAccount", "metadata", plain, "ObjectMeta", "secrets", key("name"), null);
        type("PodDisruptionBudget", "metadata", plain, "ObjectMeta", "spec", plain, "SelectorSpec",
                "status", plain, "ConditionsStatus");
        type("Object", "metadata", plain, "ObjectMeta");

        kind("", "Pod", "Pod");
        kind("", "PodTemplate", "PodTemplate");
        kind("", "ReplicationController", "ReplicationController");
        kind("", "Service", "Service");
        kind("", "Node", "Node");
        kind("", "Namespace", "WithConditions");
        kind("", "PersistentVolumeClaim", "PersistentVolumeClaim");
        kind("", "PersistentVolume", "WithSpec");
        kind("coordination.k8s.io", "Lease", "WithSpec");
        kind("networking.k8s.io", "Ingress", "Ingress");
        kind("networking.k8s.io", "NetworkPolicy", "NetworkPolicy");
        kind("", "Event", "Event");
        kind("apiextensions.k8s.io", "CustomResourceDefinition", "CustomResourceDefinition");
        kind("", "ServiceAccount", "ServiceAccount");
        kind("apps", "Deployment", "Deployment");
        kind("apps", "ReplicaSet", "Workload");
        kind("apps", "StatefulSet", "Workload");
        kind("apps", "DaemonSet", "Workload");
        kind("batch", "Job", "Workload");
        kind("batch", "CronJob", "CronJob");
        kind("autoscaling", "HorizontalPodAutoscaler", "HorizontalPodAutoscaler");
        kind("policy", "PodDisruptionBudget", "PodDisruptionBudget");

        present("PodTemplateSpec", "metadata", "spec");
        present("JobTemplateSpec", "metadata", "spec");
        present("PodSpec", "containers");
        present("Container", "resources");
        present("DeploymentSpec", "selector", "template", "strategy");
        // Deliberately one set for the four: a field a kind lacks is refused or dropped before it is recorded.
        present("WorkloadSpec", "selector", "template", "updateStrategy");
        present("CronJobSpec", "jobTemplate");
        present("ServiceStatus", "loadBalancer");
        present("ClaimSpec", "resources");
        present("AutoscalerSpec", "scaleTargetRef");
        present("NetworkPolicySpec", "podSelector");
        present("DefinitionSpec", "names");
        present("DefinitionStatus", "acceptedNames");
        for (String kind : List.of("Pod", "Deployment", "Workload", "ReplicationController", "Service", "Node",
                "WithConditions", "PersistentVolumeClaim", "HorizontalPodAutoscaler", "WithSpec", "Ingress",
                "CustomResourceDefinition", "PodDisruptionBudget", "CronJob")) {
            present(kind, "metadata", "spec", "status");
        }
        present("NetworkPolicy", "metadata", "spec");
        present("PodTemplate", "metadata", "template");
        present("Object", "metadata");
        present("Event", "metadata", "involvedObject", "source");
        present("ServiceAccount", "metadata");
    }

    private static final Set<String> BUILT_IN = BuiltInTypes.ALL.stream()
            .map(t -> t.group() + "/" + t.kind()).collect(Collectors.toUnmodifiableSet());

    private static final Map<String, KubernetesPatchMeta> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    private final String rootType;

    private KubernetesPatchMeta(String rootType) {
        this.rootType = rootType;
    }

    /**
     * The metadata of a kind. Every built-in kind gets at least its {@code metadata} (finalizers, owner
     * references); kinds this class does not know (custom resources) get {@link PatchMeta#NONE}.
     */
    public static PatchMeta forKind(String group, String kind) {
        String key = (group == null ? "" : group) + "/" + kind;
        String type = KINDS.get(key);
        if (type == null) {
            if (!BUILT_IN.contains(key)) return PatchMeta.NONE;
            type = "Object";
        }
        return CACHE.computeIfAbsent(type, KubernetesPatchMeta::new);
    }

    /**
     * Whether kube-apiserver accepts {@code application/strategic-merge-patch+json} for the kind: built-in kinds
     * only; for custom resources it answers 415 Unsupported Media Type.
     */
    public static boolean supportsStrategicMerge(String group, String kind) {
        return BUILT_IN.contains((group == null ? "" : group) + "/" + kind);
    }

    /** Answers by path: every write looks up the same few hundred paths of its kind. */
    private final Map<String, FieldMeta> lookups = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public FieldMeta field(String path) {
        FieldMeta known = lookups.get(path);
        if (known != null) return known;
        FieldMeta found = resolve(path);
        // Paths come from objects clients send; past a bound the cache stops growing and lookups resolve afresh.
        if (lookups.size() < 4096) lookups.put(path, found);
        return found;
    }

    private final Map<String, Boolean> presence = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public boolean alwaysPresent(String path) {
        Boolean known = presence.get(path);
        if (known != null) return known;
        boolean found = resolvePresent(path);
        if (presence.size() < 4096) presence.put(path, found);
        return found;
    }

    private boolean resolvePresent(String path) {
        String type = rootType;
        int start = 0;
        while (type != null) {
            int dot = path.indexOf('.', start);
            String name = dot < 0 ? path.substring(start) : path.substring(start, dot);
            if (dot < 0) return PRESENT.getOrDefault(type, Set.of()).contains(name);
            Map<String, Field> fields = TYPES.get(type);
            Field field = fields == null ? null : fields.get(name);
            type = field == null ? null : field.type();
            start = dot + 1;
        }
        return false;
    }

    private FieldMeta resolve(String path) {
        String type = rootType;
        String[] names = path.split("\\.");
        for (int i = 0; i < names.length; i++) {
            Map<String, Field> fields = type == null ? null : TYPES.get(type);
            Field field = fields == null ? null : fields.get(names[i]);
            if (field == null) return FieldMeta.DEFAULT;
            if (i == names.length - 1) return field.meta();
            type = field.type();
        }
        return FieldMeta.DEFAULT;
    }

    @Override
    public String toString() {
        return "KubernetesPatchMeta[" + rootType + "]";
    }
}
