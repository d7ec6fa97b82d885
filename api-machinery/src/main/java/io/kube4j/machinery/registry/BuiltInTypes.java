package io.kube4j.machinery.registry;

import java.util.List;
import java.util.Set;

/** The built-in kinds: every kind of the Kubernetes API that kube4j serves, as data. */
public final class BuiltInTypes {

    private BuiltInTypes() {}

    private static ResourceType ns(String group, String version, String kind, String plural, List<String> shortNames,
                                   List<String> categories, String... subresources) {
        return new ResourceType(group, version, kind, plural, kind.toLowerCase(), true, shortNames, categories,
                Set.of(subresources));
    }

    private static ResourceType cluster(String group, String version, String kind, String plural,
                                        List<String> shortNames, String... subresources) {
        return new ResourceType(group, version, kind, plural, kind.toLowerCase(), false, shortNames, List.of(),
                Set.of(subresources));
    }

    private static final List<String> ALL_CATEGORY = List.of("all");

    public static final ResourceType NAMESPACE = cluster("", "v1", "Namespace", "namespaces", List.of("ns"), "status", "finalize");
    public static final ResourceType POD = ns("", "v1", "Pod", "pods", List.of("po"), ALL_CATEGORY, "status", "binding", "log", "exec", "attach", "portforward", "eviction", "ephemeralcontainers");
    public static final ResourceType SERVICE = ns("", "v1", "Service", "services", List.of("svc"), ALL_CATEGORY, "status");
    public static final ResourceType ENDPOINTS = ns("", "v1", "Endpoints", "endpoints", List.of("ep"), List.of());
    public static final ResourceType CONFIG_MAP = ns("", "v1", "ConfigMap", "configmaps", List.of("cm"), List.of());
    public static final ResourceType SECRET = ns("", "v1", "Secret", "secrets", List.of(), List.of());
    public static final ResourceType SERVICE_ACCOUNT = ns("", "v1", "ServiceAccount", "serviceaccounts", List.of("sa"), List.of(), "token");
    public static final ResourceType NODE = cluster("", "v1", "Node", "nodes", List.of("no"), "status", "proxy");
    public static final ResourceType EVENT = ns("", "v1", "Event", "events", List.of("ev"), List.of());
    public static final ResourceType PERSISTENT_VOLUME = cluster("", "v1", "PersistentVolume", "persistentvolumes", List.of("pv"), "status");
    public static final ResourceType PERSISTENT_VOLUME_CLAIM = ns("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", List.of("pvc"), List.of(), "status");
    public static final ResourceType REPLICATION_CONTROLLER = ns("", "v1", "ReplicationController", "replicationcontrollers", List.of("rc"), ALL_CATEGORY, "status", "scale");
    public static final ResourceType RESOURCE_QUOTA = ns("", "v1", "ResourceQuota", "resourcequotas", List.of("quota"), List.of(), "status");
    public static final ResourceType LIMIT_RANGE = ns("", "v1", "LimitRange", "limitranges", List.of("limits"), List.of());

    public static final ResourceType DEPLOYMENT = ns("apps", "v1", "Deployment", "deployments", List.of("deploy"), ALL_CATEGORY, "status", "scale");
    public static final ResourceType REPLICA_SET = ns("apps", "v1", "ReplicaSet", "replicasets", List.of("rs"), ALL_CATEGORY, "status", "scale");
    public static final ResourceType STATEFUL_SET = ns("apps", "v1", "StatefulSet", "statefulsets", List.of("sts"), ALL_CATEGORY, "status", "scale");
    public static final ResourceType DAEMON_SET = ns("apps", "v1", "DaemonSet", "daemonsets", List.of("ds"), ALL_CATEGORY, "status");
    public static final ResourceType CONTROLLER_REVISION = ns("apps", "v1", "ControllerRevision", "controllerrevisions", List.of(), List.of());

    public static final ResourceType JOB = ns("batch", "v1", "Job", "jobs", List.of(), ALL_CATEGORY, "status");
    public static final ResourceType CRON_JOB = ns("batch", "v1", "CronJob", "cronjobs", List.of("cj"), ALL_CATEGORY, "status");

    public static final ResourceType HORIZONTAL_POD_AUTOSCALER = ns("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", List.of("hpa"), ALL_CATEGORY, "status");
    /** The older form of {@link #HORIZONTAL_POD_AUTOSCALER} that {@code kubectl autoscale} writes; stored as v2. */
    public static final ResourceType HORIZONTAL_POD_AUTOSCALER_V1 = ns("autoscaling", "v1", "HorizontalPodAutoscaler", "horizontalpodautoscalers", List.of("hpa"), ALL_CATEGORY, "status");

    public static final ResourceType INGRESS = ns("networking.k8s.io", "v1", "Ingress", "ingresses", List.of("ing"), List.of(), "status");
    public static final ResourceType INGRESS_CLASS = cluster("networking.k8s.io", "v1", "IngressClass", "ingressclasses", List.of());
    public static final ResourceType NETWORK_POLICY = ns("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", List.of("netpol"), List.of());

    public static final ResourceType ENDPOINT_SLICE = ns("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", List.of(), List.of());

    public static final ResourceType ROLE = ns("rbac.authorization.k8s.io", "v1", "Role", "roles", List.of(), List.of());
    public static final ResourceType CLUSTER_ROLE = cluster("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", List.of());
    public static final ResourceType ROLE_BINDING = ns("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", List.of(), List.of());
    public static final ResourceType CLUSTER_ROLE_BINDING = cluster("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", List.of());

    public static final ResourceType STORAGE_CLASS = cluster("storage.k8s.io", "v1", "StorageClass", "storageclasses", List.of("sc"));
    public static final ResourceType CSI_DRIVER = cluster("storage.k8s.io", "v1", "CSIDriver", "csidrivers", List.of());
    public static final ResourceType CSI_NODE = cluster("storage.k8s.io", "v1", "CSINode", "csinodes", List.of());
    public static final ResourceType VOLUME_ATTACHMENT = cluster("storage.k8s.io", "v1", "VolumeAttachment", "volumeattachments", List.of(), "status");

    public static final ResourceType LEASE = ns("coordination.k8s.io", "v1", "Lease", "leases", List.of(), List.of());

    public static final ResourceType POD_DISRUPTION_BUDGET = ns("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", List.of("pdb"), List.of(), "status");

    public static final ResourceType PRIORITY_CLASS = cluster("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", List.of("pc"));

    public static final ResourceType SELF_SUBJECT_ACCESS_REVIEW = cluster("authorization.k8s.io", "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews", List.of());
    public static final ResourceType SELF_SUBJECT_RULES_REVIEW = cluster("authorization.k8s.io", "v1", "SelfSubjectRulesReview", "selfsubjectrulesreviews", List.of());
    public static final ResourceType SUBJECT_ACCESS_REVIEW = cluster("authorization.k8s.io", "v1", "SubjectAccessReview", "subjectaccessreviews", List.of());
    public static final ResourceType SELF_SUBJECT_REVIEW = cluster("authentication.k8s.io", "v1", "SelfSubjectReview", "selfsubjectreviews", List.of());
    public static final ResourceType TOKEN_REVIEW = cluster("authentication.k8s.io", "v1", "TokenReview", "tokenreviews", List.of());

    /** Kinds that are questions rather than objects: only {@code create}, answered and never stored. */
    public static final java.util.Set<ResourceType> REVIEWS = java.util.Set.of(SELF_SUBJECT_ACCESS_REVIEW,
            SELF_SUBJECT_RULES_REVIEW, SUBJECT_ACCESS_REVIEW, SELF_SUBJECT_REVIEW, TOKEN_REVIEW);

    public static final ResourceType NODE_METRICS = cluster("metrics.k8s.io", "v1beta1", "NodeMetrics", "nodes", List.of());
    public static final ResourceType POD_METRICS = ns("metrics.k8s.io", "v1beta1", "PodMetrics", "pods", List.of(), List.of());

    /**
     * The resource metrics API: read-only views of the metrics store (Redis), never stored, so not
     * in {@link #ALL}; served by their own handler and listed in discovery, with only get and list.
     */
    public static final List<ResourceType> METRICS = List.of(NODE_METRICS, POD_METRICS);

    /**
     * The health of the control plane's parts as kube-apiserver probes them (deprecated there since 1.19, still
     * what {@code kubectl get componentstatuses} shows): never stored, so not in {@link #ALL}; get and list only.
     */
    public static final ResourceType COMPONENT_STATUS = cluster("", "v1", "ComponentStatus", "componentstatuses", List.of("cs"));

    public static final ResourceType CUSTOM_RESOURCE_DEFINITION = cluster("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", List.of("crd", "crds"), "status");

    public static final List<ResourceType> ALL = List.of(
            NAMESPACE, POD, SERVICE, ENDPOINTS, CONFIG_MAP, SECRET, SERVICE_ACCOUNT, NODE, EVENT,
            PERSISTENT_VOLUME, PERSISTENT_VOLUME_CLAIM, REPLICATION_CONTROLLER, RESOURCE_QUOTA, LIMIT_RANGE,
            DEPLOYMENT, REPLICA_SET, STATEFUL_SET, DAEMON_SET, CONTROLLER_REVISION,
            JOB, CRON_JOB, HORIZONTAL_POD_AUTOSCALER, HORIZONTAL_POD_AUTOSCALER_V1,
            INGRESS, INGRESS_CLASS, NETWORK_POLICY, ENDPOINT_SLICE,
            ROLE, CLUSTER_ROLE, ROLE_BINDING, CLUSTER_ROLE_BINDING,
            STORAGE_CLASS, CSI_DRIVER, CSI_NODE, VOLUME_ATTACHMENT,
            LEASE, POD_DISRUPTION_BUDGET, PRIORITY_CLASS, CUSTOM_RESOURCE_DEFINITION,
            SELF_SUBJECT_ACCESS_REVIEW, SELF_SUBJECT_RULES_REVIEW, SUBJECT_ACCESS_REVIEW, SELF_SUBJECT_REVIEW, TOKEN_REVIEW);
}
