package io.kube4j.gateway.openapi;

import java.util.List;
import java.util.Map;

/**
 * What the fabric8 model cannot say about the built-in types: a one-line description of each
 * served kind (what {@code kubectl explain} prints first) and the fields Kubernetes requires
 * (marked {@code -required-} by explain). Written for kube4j; keyed by model class simple name.
 */
final class KindDocumentation {

    private KindDocumentation() {}

    static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry("Namespace", "Namespace gives a scope to names; most objects live in one."),
            Map.entry("Pod", "Pod is a group of containers that run together on one node and share its network and volumes."),
            Map.entry("Service", "Service gives a stable virtual address and DNS name to a set of pods chosen by a selector."),
            Map.entry("Endpoints", "Endpoints lists the addresses and ports behind a Service."),
            Map.entry("ConfigMap", "ConfigMap holds configuration data, as strings or bytes, for pods to consume."),
            Map.entry("Secret", "Secret holds sensitive data such as passwords, tokens or keys, for pods to consume."),
            Map.entry("ServiceAccount", "ServiceAccount is an identity for processes that run in pods."),
            Map.entry("Node", "Node is a machine that runs pods; its status is reported by its node agent."),
            Map.entry("Event", "Event is a report of something that happened to an object."),
            Map.entry("PersistentVolume", "PersistentVolume is a piece of storage provisioned for the cluster."),
            Map.entry("PersistentVolumeClaim", "PersistentVolumeClaim is a request for storage, bound to a PersistentVolume."),
            Map.entry("ReplicationController", "ReplicationController keeps a number of pod replicas running (superseded by ReplicaSet)."),
            Map.entry("ResourceQuota", "ResourceQuota limits the total resources that the objects of a namespace may use."),
            Map.entry("LimitRange", "LimitRange sets default and bounding resource amounts for the pods and containers of a namespace."),
            Map.entry("Deployment", "Deployment declares the desired state of a set of pods and rolls ReplicaSets to reach it."),
            Map.entry("ReplicaSet", "ReplicaSet keeps a number of identical pod replicas running."),
            Map.entry("StatefulSet", "StatefulSet runs pods with stable names and storage, created and updated in order."),
            Map.entry("DaemonSet", "DaemonSet runs one copy of a pod on each (selected) node."),
            Map.entry("ControllerRevision", "ControllerRevision is an immutable snapshot of state that a controller can roll back to."),
            Map.entry("Job", "Job runs pods until a number of them complete successfully."),
            Map.entry("CronJob", "CronJob creates Jobs on a repeating schedule."),
            Map.entry("HorizontalPodAutoscaler", "HorizontalPodAutoscaler scales a workload's replicas to follow observed metrics."),
            Map.entry("Ingress", "Ingress routes external HTTP traffic to Services by host and path."),
            Map.entry("IngressClass", "IngressClass names the controller that implements a class of Ingresses."),
            Map.entry("NetworkPolicy", "NetworkPolicy says which traffic the selected pods may send and receive."),
            Map.entry("EndpointSlice", "EndpointSlice lists a subset of the endpoints that implement a Service."),
            Map.entry("Role", "Role is a namespaced set of permissions, granted by a RoleBinding."),
            Map.entry("ClusterRole", "ClusterRole is a cluster-wide set of permissions, granted by a RoleBinding or ClusterRoleBinding."),
            Map.entry("RoleBinding", "RoleBinding grants the permissions of a Role or ClusterRole to subjects within a namespace."),
            Map.entry("ClusterRoleBinding", "ClusterRoleBinding grants the permissions of a ClusterRole to subjects cluster-wide."),
            Map.entry("StorageClass", "StorageClass describes a kind of storage that volumes can be provisioned from."),
            Map.entry("CSIDriver", "CSIDriver describes a Container Storage Interface volume driver installed in the cluster."),
            Map.entry("CSINode", "CSINode lists the CSI drivers installed on a node."),
            Map.entry("VolumeAttachment", "VolumeAttachment records the intent to attach a volume to a node."),
            Map.entry("Lease", "Lease is a lock held for a time, used for leader election and node heartbeats."),
            Map.entry("PodDisruptionBudget", "PodDisruptionBudget limits how many pods of a set may be down at once from voluntary disruptions."),
            Map.entry("PriorityClass", "PriorityClass maps a name to a scheduling priority for pods."),
            Map.entry("CustomResourceDefinition", "CustomResourceDefinition adds a new resource type to the API."),
            Map.entry("Scale", "Scale is the desired and observed replica count of a scalable resource."),
            Map.entry("Binding", "Binding assigns a pod to a node."),
            Map.entry("Eviction", "Eviction asks for a pod to be deleted, subject to its disruption budgets."));

    static final Map<String, List<String>> REQUIRED = Map.ofEntries(
            Map.entry("PodSpec", List.of("containers")),
            Map.entry("Container", List.of("name")),
            Map.entry("EphemeralContainer", List.of("name")),
            Map.entry("ContainerPort", List.of("containerPort")),
            Map.entry("EnvVar", List.of("name")),
            Map.entry("Volume", List.of("name")),
            Map.entry("VolumeMount", List.of("name", "mountPath")),
            Map.entry("KeyToPath", List.of("key", "path")),
            Map.entry("ConfigMapKeySelector", List.of("key")),
            Map.entry("SecretKeySelector", List.of("key")),
            Map.entry("ObjectFieldSelector", List.of("fieldPath")),
            Map.entry("HTTPGetAction", List.of("port")),
            Map.entry("TCPSocketAction", List.of("port")),
            Map.entry("ServicePort", List.of("port")),
            Map.entry("DeploymentSpec", List.of("selector", "template")),
            Map.entry("ReplicaSetSpec", List.of("selector")),
            Map.entry("StatefulSetSpec", List.of("selector", "template")),
            Map.entry("DaemonSetSpec", List.of("selector", "template")),
            Map.entry("JobSpec", List.of("template")),
            Map.entry("CronJobSpec", List.of("schedule", "jobTemplate")),
            Map.entry("LabelSelectorRequirement", List.of("key", "operator")),
            Map.entry("OwnerReference", List.of("apiVersion", "kind", "name", "uid")),
            Map.entry("RoleRef", List.of("apiGroup", "kind", "name")),
            Map.entry("Subject", List.of("kind", "name")),
            Map.entry("PolicyRule", List.of("verbs")),
            Map.entry("RoleBinding", List.of("roleRef")),
            Map.entry("ClusterRoleBinding", List.of("roleRef")),
            Map.entry("CustomResourceDefinitionSpec", List.of("group", "names", "scope", "versions")));

    /**
     * The closed sets of values some string fields take (kubectl explain prints them as
     * {@code enum: A, B}), keyed by model class simple name, then field; values sorted as
     * Kubernetes lists them.
     */
    static final Map<String, Map<String, List<String>>> ENUMS = Map.ofEntries(
            Map.entry("DeploymentStrategy", Map.of("type", List.of("Recreate", "RollingUpdate"))),
            Map.entry("StatefulSetUpdateStrategy", Map.of("type", List.of("OnDelete", "RollingUpdate"))),
            Map.entry("DaemonSetUpdateStrategy", Map.of("type", List.of("OnDelete", "RollingUpdate"))),
            Map.entry("StatefulSetSpec", Map.of("podManagementPolicy", List.of("OrderedReady", "Parallel"))),
            Map.entry("CronJobSpec", Map.of("concurrencyPolicy", List.of("Allow", "Forbid", "Replace"))),
            Map.entry("Container", Map.of(
                    "imagePullPolicy", List.of("Always", "IfNotPresent", "Never"),
                    "terminationMessagePolicy", List.of("FallbackToLogsOnError", "File"))),
            Map.entry("PodSpec", Map.of(
                    "restartPolicy", List.of("Always", "Never", "OnFailure"),
                    "dnsPolicy", List.of("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"),
                    "preemptionPolicy", List.of("Never", "PreemptLowerPriority"))),
            Map.entry("PodStatus", Map.of("phase", List.of("Failed", "Pending", "Running", "Succeeded", "Unknown"))),
            Map.entry("ContainerPort", Map.of("protocol", List.of("SCTP", "TCP", "UDP"))),
            Map.entry("ServicePort", Map.of("protocol", List.of("SCTP", "TCP", "UDP"))),
            Map.entry("ServiceSpec", Map.of(
                    "type", List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort"),
                    "sessionAffinity", List.of("ClientIP", "None"),
                    "externalTrafficPolicy", List.of("Cluster", "Local"),
                    "internalTrafficPolicy", List.of("Cluster", "Local"))),
            Map.entry("Toleration", Map.of(
                    "operator", List.of("Equal", "Exists"),
                    "effect", List.of("NoExecute", "NoSchedule", "PreferNoSchedule"))),
            Map.entry("Taint", Map.of("effect", List.of("NoExecute", "NoSchedule", "PreferNoSchedule"))),
            Map.entry("PersistentVolumeSpec", Map.of("persistentVolumeReclaimPolicy", List.of("Delete", "Recycle", "Retain"))),
            Map.entry("NamespaceStatus", Map.of("phase", List.of("Active", "Terminating"))),
            Map.entry("HTTPIngressPath", Map.of("pathType", List.of("Exact", "ImplementationSpecific", "Prefix"))));
}
