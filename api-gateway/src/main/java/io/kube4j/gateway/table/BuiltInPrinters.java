package io.kube4j.gateway.table;

import io.kube4j.machinery.registry.ResourceType;

import java.util.Map;

/** The printer of each built-in kind, keyed by group and kind; kinds not listed print with {@link DefaultPrinter}. */
final class BuiltInPrinters {

    private BuiltInPrinters() {}

    private static final Map<String, TablePrinter> BY_GROUP_KIND = Map.ofEntries(
            Map.entry(key("", "Pod"), new PodPrinter()),
            Map.entry(key("", "Service"), NetworkPrinters.SERVICE),
            Map.entry(key("", "Endpoints"), NetworkPrinters.ENDPOINTS),
            Map.entry(key("", "Node"), ClusterPrinters.NODE),
            Map.entry(key("", "Namespace"), ClusterPrinters.NAMESPACE),
            Map.entry(key("", "ConfigMap"), ClusterPrinters.CONFIG_MAP),
            Map.entry(key("", "Secret"), ClusterPrinters.SECRET),
            Map.entry(key("", "ServiceAccount"), ClusterPrinters.SERVICE_ACCOUNT),
            Map.entry(key("", "Event"), ClusterPrinters.EVENT),
            Map.entry(key("", "PersistentVolume"), ClusterPrinters.PERSISTENT_VOLUME),
            Map.entry(key("", "PersistentVolumeClaim"), ClusterPrinters.PERSISTENT_VOLUME_CLAIM),
            Map.entry(key("", "ReplicationController"), WorkloadPrinters.REPLICATION_CONTROLLER),
            Map.entry(key("", "ResourceQuota"), ClusterPrinters.RESOURCE_QUOTA),
            Map.entry(key("apps", "Deployment"), WorkloadPrinters.DEPLOYMENT),
            Map.entry(key("apps", "ReplicaSet"), WorkloadPrinters.REPLICA_SET),
            Map.entry(key("apps", "StatefulSet"), WorkloadPrinters.STATEFUL_SET),
            Map.entry(key("apps", "DaemonSet"), WorkloadPrinters.DAEMON_SET),
            Map.entry(key("apps", "ControllerRevision"), WorkloadPrinters.CONTROLLER_REVISION),
            Map.entry(key("batch", "Job"), WorkloadPrinters.JOB),
            Map.entry(key("batch", "CronJob"), WorkloadPrinters.CRON_JOB),
            Map.entry(key("autoscaling", "HorizontalPodAutoscaler"), WorkloadPrinters.HORIZONTAL_POD_AUTOSCALER),
            Map.entry(key("policy", "PodDisruptionBudget"), WorkloadPrinters.POD_DISRUPTION_BUDGET),
            Map.entry(key("networking.k8s.io", "Ingress"), NetworkPrinters.INGRESS),
            Map.entry(key("networking.k8s.io", "IngressClass"), NetworkPrinters.INGRESS_CLASS),
            Map.entry(key("networking.k8s.io", "NetworkPolicy"), NetworkPrinters.NETWORK_POLICY),
            Map.entry(key("discovery.k8s.io", "EndpointSlice"), NetworkPrinters.ENDPOINT_SLICE),
            Map.entry(key("rbac.authorization.k8s.io", "RoleBinding"), ClusterPrinters.ROLE_BINDING),
            Map.entry(key("rbac.authorization.k8s.io", "ClusterRoleBinding"), ClusterPrinters.CLUSTER_ROLE_BINDING),
            Map.entry(key("storage.k8s.io", "StorageClass"), ClusterPrinters.STORAGE_CLASS),
            Map.entry(key("storage.k8s.io", "CSIDriver"), ClusterPrinters.CSI_DRIVER),
            Map.entry(key("storage.k8s.io", "CSINode"), ClusterPrinters.CSI_NODE),
            Map.entry(key("storage.k8s.io", "VolumeAttachment"), ClusterPrinters.VOLUME_ATTACHMENT),
            Map.entry(key("coordination.k8s.io", "Lease"), ClusterPrinters.LEASE),
            Map.entry(key("", "ComponentStatus"), ClusterPrinters.COMPONENT_STATUS),
            Map.entry(key("scheduling.k8s.io", "PriorityClass"), ClusterPrinters.PRIORITY_CLASS));

    private static String key(String group, String kind) {
        return group + "/" + kind;
    }

    /** The printer for a type: its own, or the default {@code NAME CREATED AT}. */
    static TablePrinter forType(ResourceType type) {
        return BY_GROUP_KIND.getOrDefault(key(type.group(), type.kind()), DefaultPrinter.INSTANCE);
    }
}
