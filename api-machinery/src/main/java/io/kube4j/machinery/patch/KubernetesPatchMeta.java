package io.kube4j.machinery.patch;

import java.util.HashMap;
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

    static {
        FieldMeta plain = FieldMeta.DEFAULT;
        FieldMeta set = FieldMeta.mergeAsSet();
        FieldMeta byType = key("type");

        type("ObjectMeta",
                "finalizers", set, null,
                "ownerReferences", key("uid"), null);
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
                "ports", key("containerPort"), null,
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
                "ports", key("port"), null,
                "selector", ATOMIC, null);
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
                "status", plain, "ConditionsStatus");
        type("Node", "metadata", plain, "ObjectMeta", "spec", plain, "NodeSpec", "status", plain, "NodeStatus");
        type("WithConditions", "metadata", plain, "ObjectMeta", "status", plain, "ConditionsStatus");
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
        kind("", "PersistentVolumeClaim", "WithConditions");
        kind("", "ServiceAccount", "ServiceAccount");
        kind("apps", "Deployment", "Deployment");
        kind("apps", "ReplicaSet", "Workload");
        kind("apps", "StatefulSet", "Workload");
        kind("apps", "DaemonSet", "Workload");
        kind("batch", "Job", "Workload");
        kind("batch", "CronJob", "CronJob");
        kind("autoscaling", "HorizontalPodAutoscaler", "WithConditions");
        kind("policy", "PodDisruptionBudget", "PodDisruptionBudget");
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
