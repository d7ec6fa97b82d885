package io.kube4j.gateway.table;

import io.kube4j.machinery.object.JsonTree;
import io.kube4j.machinery.quantity.Quantity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static io.kube4j.gateway.table.ColumnPrinter.age;
import static io.kube4j.gateway.table.ColumnPrinter.col;
import static io.kube4j.gateway.table.ColumnPrinter.name;
import static io.kube4j.gateway.table.TableColumn.bool;
import static io.kube4j.gateway.table.TableColumn.integer;
import static io.kube4j.gateway.table.TableColumn.string;

/** Printers of nodes, namespaces, configuration, storage, events, RBAC bindings and the rest. */
final class ClusterPrinters {

    private ClusterPrinters() {}

    private static final String NODE_ROLE_PREFIX = "node-role.kubernetes.io/";
    private static final String NODE_ROLE_LABEL = "kubernetes.io/role";
    private static final String BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class";

    static final TablePrinter NODE = ColumnPrinter.of(
            name(),
            col(string("Status", "The status of the node"), ClusterPrinters::nodeStatus),
            col(string("Roles", "The roles of the node"), ClusterPrinters::nodeRoles),
            age(),
            col(string("Version", "Kubelet Version reported by the node."), o -> Fields.text(o, "status.nodeInfo.kubeletVersion")),
            col(string("Internal-IP", "List of addresses reachable to the node.").wide(), o -> nodeAddress(o, "InternalIP")),
            col(string("External-IP", "List of addresses reachable to the node.").wide(), o -> nodeAddress(o, "ExternalIP")),
            col(string("OS-Image", "OS Image reported by the node.").wide(), o -> orUnknown(Fields.text(o, "status.nodeInfo.osImage"))),
            col(string("Kernel-Version", "Kernel Version reported by the node.").wide(),
                    o -> orUnknown(Fields.text(o, "status.nodeInfo.kernelVersion"))),
            col(string("Container-Runtime", "ContainerRuntime Version reported by the node.").wide(),
                    o -> orUnknown(Fields.text(o, "status.nodeInfo.containerRuntimeVersion"))));

    static final TablePrinter NAMESPACE = ColumnPrinter.of(
            name(),
            col(string("Status", "The status of the namespace"), o -> Fields.text(o, "status.phase")),
            age());

    static final TablePrinter CONFIG_MAP = ColumnPrinter.of(
            name(),
            col(string("Data", "Data contains the configuration data."),
                    o -> (long) (Fields.size(o, "data") + Fields.size(o, "binaryData"))),
            age());

    static final TablePrinter SECRET = ColumnPrinter.of(
            name(),
            col(string("Type", "Used to facilitate programmatic handling of secret data."), o -> Fields.text(o, "type")),
            col(string("Data", "Data contains the secret data."), o -> (long) Fields.size(o, "data")),
            age());

    static final TablePrinter SERVICE_ACCOUNT = ColumnPrinter.of(
            name(),
            col(string("Secrets", "Secrets is a list of the secrets in the same namespace that pods running using"
                    + " this ServiceAccount are allowed to use."), o -> (long) Fields.size(o, "secrets")),
            age());

    static final TablePrinter EVENT = new EventPrinter();

    static final TablePrinter PERSISTENT_VOLUME = ColumnPrinter.of(
            name(),
            col(string("Capacity", "capacity is the description of the persistent volume's resources and capacity."),
                    o -> quantity(JsonTree.at(o, "spec.capacity").path("storage"))),
            col(string("Access Modes", "accessModes contains all ways the volume can be mounted."),
                    o -> accessModes(Fields.list(o, "spec.accessModes"))),
            col(string("Reclaim Policy", "persistentVolumeReclaimPolicy defines what happens to a persistent volume"
                    + " when released from its claim."), o -> Fields.text(o, "spec.persistentVolumeReclaimPolicy")),
            col(string("Status", "phase indicates if a volume is available, bound to a claim, or released by a claim."),
                    o -> Fields.has(o, "metadata.deletionTimestamp") ? "Terminating" : Fields.text(o, "status.phase")),
            col(string("Claim", "claimRef is part of a bi-directional binding between PersistentVolume and"
                    + " PersistentVolumeClaim."), o -> Fields.present(o, "spec.claimRef")
                    ? Fields.text(o, "spec.claimRef.namespace") + "/" + Fields.text(o, "spec.claimRef.name") : ""),
            col(string("StorageClass", "StorageClass of the pv"), ClusterPrinters::volumeClass),
            col(string("VolumeAttributesClass", "VolumeAttributesClass of the pv"),
                    o -> Fields.present(o, "spec.volumeAttributesClassName") ? Fields.text(o, "spec.volumeAttributesClassName") : "<unset>"),
            col(string("Reason", "reason is a brief CamelCase string that describes any failure."), o -> Fields.text(o, "status.reason")),
            age(),
            col(string("VolumeMode", "volumeMode defines if a volume is intended to be used with a formatted"
                    + " filesystem or to remain in raw block state.").wide(),
                    o -> Fields.present(o, "spec.volumeMode") ? Fields.text(o, "spec.volumeMode") : "<unset>"));

    static final TablePrinter PERSISTENT_VOLUME_CLAIM = ColumnPrinter.of(
            name(),
            col(string("Status", "phase represents the current phase of PersistentVolumeClaim."),
                    o -> Fields.has(o, "metadata.deletionTimestamp") ? "Terminating" : Fields.text(o, "status.phase")),
            col(string("Volume", "volumeName is the binding reference to the PersistentVolume backing this claim."),
                    o -> Fields.text(o, "spec.volumeName")),
            col(string("Capacity", "capacity represents the actual resources of the underlying volume."),
                    o -> Fields.has(o, "spec.volumeName") ? quantity(JsonTree.at(o, "status.capacity").path("storage")) : ""),
            col(string("Access Modes", "accessModes contains the actual access modes the volume backing the PVC has."),
                    o -> Fields.has(o, "spec.volumeName") ? accessModes(Fields.list(o, "status.accessModes")) : ""),
            col(string("StorageClass", "StorageClass of the pvc"), ClusterPrinters::claimClass),
            col(string("VolumeAttributesClass", "VolumeAttributesClass of the pvc"),
                    o -> Fields.present(o, "spec.volumeAttributesClassName") ? Fields.text(o, "spec.volumeAttributesClassName") : "<unset>"),
            age(),
            col(string("VolumeMode", "volumeMode defines what type of volume is required by the claim.").wide(),
                    o -> Fields.present(o, "spec.volumeMode") ? Fields.text(o, "spec.volumeMode") : "<unset>"));

    static final TablePrinter STORAGE_CLASS = ColumnPrinter.of(
            col(TableColumn.nameColumn(), o -> isDefaultClass(o) ? Fields.text(o, "metadata.name") + " (default)" : Fields.text(o, "metadata.name")),
            col(string("Provisioner", "provisioner indicates the type of the provisioner."), o -> Fields.text(o, "provisioner")),
            col(string("ReclaimPolicy", "reclaimPolicy controls the reclaimPolicy for dynamically provisioned"
                    + " PersistentVolumes of this storage class."),
                    o -> Fields.has(o, "reclaimPolicy") ? Fields.text(o, "reclaimPolicy") : "Delete"),
            col(string("VolumeBindingMode", "volumeBindingMode indicates how PersistentVolumeClaims should be"
                    + " provisioned and bound."), o -> Fields.has(o, "volumeBindingMode") ? Fields.text(o, "volumeBindingMode") : "Immediate"),
            col(string("AllowVolumeExpansion", "allowVolumeExpansion shows whether the storage class allow volume expand."),
                    o -> Fields.bool(o, "allowVolumeExpansion")),
            age());

    static final TablePrinter CSI_DRIVER = ColumnPrinter.of(
            name(),
            col(bool("AttachRequired", "attachRequired indicates this CSI volume driver requires an attach operation."),
                    o -> !Fields.present(o, "spec.attachRequired") || Fields.bool(o, "spec.attachRequired")),
            col(bool("PodInfoOnMount", "podInfoOnMount indicates this CSI volume driver requires additional pod"
                    + " information during mount operations."), o -> Fields.bool(o, "spec.podInfoOnMount")),
            col(bool("StorageCapacity", "storageCapacity indicates that the CSI volume driver wants pod scheduling to"
                    + " consider the storage capacity."), o -> Fields.bool(o, "spec.storageCapacity")),
            col(string("TokenRequests", "tokenRequests indicates the CSI driver needs pods' service account tokens."),
                    o -> Fields.present(o, "spec.tokenRequests") ? Fields.list(o, "spec.tokenRequests").stream()
                            .map(t -> Fields.text(t, "audience")).collect(Collectors.joining(",")) : "<unset>"),
            col(bool("RequiresRepublish", "requiresRepublish indicates the CSI driver wants NodePublishVolume"
                    + " being periodically called."), o -> Fields.bool(o, "spec.requiresRepublish")),
            col(string("Modes", "volumeLifecycleModes defines what kind of volumes this CSI volume driver supports."),
                    o -> orNone(Fields.list(o, "spec.volumeLifecycleModes").stream().map(Fields::text).collect(Collectors.joining(",")))),
            age());

    static final TablePrinter CSI_NODE = ColumnPrinter.of(
            name(),
            col(integer("Drivers", "Drivers indicates the number of CSI drivers registered on the node"),
                    o -> (long) Fields.size(o, "spec.drivers")),
            age());

    static final TablePrinter VOLUME_ATTACHMENT = ColumnPrinter.of(
            name(),
            col(new TableColumn("Attacher", "string", "name", "attacher indicates the name of the volume driver that"
                    + " MUST handle this request.", 0), o -> Fields.text(o, "spec.attacher")),
            col(string("PV", "persistentVolumeName represents the name of the persistent volume to attach."),
                    o -> Fields.text(o, "spec.source.persistentVolumeName")),
            col(string("Node", "nodeName represents the node that the volume should be attached to."), o -> Fields.text(o, "spec.nodeName")),
            col(bool("Attached", "attached indicates the volume is successfully attached."), o -> Fields.bool(o, "status.attached")),
            age());

    /** Age sits second, as kube-apiserver 1.32 prints quotas (later releases moved it last). */
    static final TablePrinter RESOURCE_QUOTA = ColumnPrinter.of(
            name(),
            age(),
            col(string("Request", "Request represents a minimum amount of cpu/memory that a container may consume."),
                    o -> quotaUsage(o, false)),
            col(string("Limit", "Limits control the maximum amount of cpu/memory that a container may use independent"
                    + " of contention on the node."), o -> quotaUsage(o, true)));

    /** kube-apiserver's columns of a ComponentStatus: its Healthy condition as Status, with message and error. */
    static final TablePrinter COMPONENT_STATUS = ColumnPrinter.of(
            name(),
            col(string("Status", "Status of the component conditions"), o -> {
                for (JsonNode c : o.path("conditions")) {
                    if ("Healthy".equals(c.path("type").asString(""))) return "True".equals(c.path("status").asString("")) ? "Healthy" : "Unhealthy";
                }
                return "Unknown";
            }),
            col(string("Message", "Message of the component conditions"), o -> healthy(o, "message")),
            col(string("Error", "Error of the component conditions"), o -> healthy(o, "error")));

    private static String healthy(ObjectNode status, String field) {
        for (JsonNode c : status.path("conditions")) {
            if ("Healthy".equals(c.path("type").asString(""))) return c.path(field).asString("");
        }
        return "";
    }

    static final TablePrinter LEASE = ColumnPrinter.of(
            name(),
            col(string("Holder", "holderIdentity contains the identity of the holder of a current lease."),
                    o -> Fields.text(o, "spec.holderIdentity")),
            age());

    static final TablePrinter PRIORITY_CLASS = ColumnPrinter.of(
            name(),
            col(integer("Value", "The value of this priority class."), o -> Fields.integer(o, "value", 0)),
            col(bool("Global-Default", "globalDefault specifies whether this PriorityClass should be considered as the"
                    + " default priority for pods that do not have any priority class."), o -> Fields.bool(o, "globalDefault")),
            age(),
            col(string("PreemptionPolicy", "PreemptionPolicy is the Policy for preempting pods with lower priority."),
                    o -> Fields.text(o, "preemptionPolicy")));

    static final TablePrinter ROLE_BINDING = binding("roleBinding");

    static final TablePrinter CLUSTER_ROLE_BINDING = binding("clusterRoleBinding");

    private static TablePrinter binding(String what) {
        return ColumnPrinter.of(
                name(),
                col(string("Role", "RoleRef can reference a Role in the current namespace or a ClusterRole in the"
                        + " global namespace."), o -> Fields.text(o, "roleRef.kind") + "/" + Fields.text(o, "roleRef.name")),
                age(),
                col(string("Users", "Users in the " + what).wide(), o -> subjects(o, "User")),
                col(string("Groups", "Groups in the " + what).wide(), o -> subjects(o, "Group")),
                col(string("ServiceAccounts", "ServiceAccounts in the " + what).wide(), o -> subjects(o, "ServiceAccount")));
    }

    /** The subjects of one kind, joined by {@code ", "}; service accounts as {@code namespace/name}. */
    static String subjects(JsonNode binding, String kind) {
        return Fields.list(binding, "subjects").stream()
                .filter(s -> kind.equals(Fields.text(s, "kind")))
                .map(s -> "ServiceAccount".equals(kind)
                        ? Fields.text(s, "namespace") + "/" + Fields.text(s, "name")
                        : Fields.text(s, "name"))
                .collect(Collectors.joining(", "));
    }

    /** {@code Ready} or {@code NotReady} (or {@code Unknown}), then {@code SchedulingDisabled} when cordoned. */
    static String nodeStatus(JsonNode node) {
        List<String> status = new ArrayList<>();
        JsonNode ready = null;
        for (JsonNode condition : Fields.list(node, "status.conditions")) {
            if ("Ready".equals(Fields.text(condition, "type"))) {
                ready = condition; // the last one of a type wins, as a map keyed by type would have it
            }
        }
        if (ready != null) {
            status.add("True".equals(Fields.text(ready, "status")) ? "Ready" : "NotReady");
        } else {
            status.add("Unknown");
        }
        if (Fields.bool(node, "spec.unschedulable")) {
            status.add("SchedulingDisabled");
        }
        return String.join(",", status);
    }

    /** Roles from {@code node-role.kubernetes.io/<role>} labels and the {@code kubernetes.io/role} label. */
    static String nodeRoles(JsonNode node) {
        TreeSet<String> roles = new TreeSet<>();
        for (Map.Entry<String, String> label : Fields.stringMap(node, "metadata.labels").entrySet()) {
            String key = label.getKey();
            if (key.startsWith(NODE_ROLE_PREFIX)) {
                String role = key.substring(NODE_ROLE_PREFIX.length());
                if (!role.isEmpty()) {
                    roles.add(role);
                }
            } else if (key.equals(NODE_ROLE_LABEL) && !label.getValue().isEmpty()) {
                roles.add(label.getValue());
            }
        }
        return roles.isEmpty() ? Selectors.NONE : String.join(",", roles);
    }

    private static String nodeAddress(JsonNode node, String type) {
        for (JsonNode address : Fields.list(node, "status.addresses")) {
            if (type.equals(Fields.text(address, "type"))) {
                return Fields.text(address, "address");
            }
        }
        return Selectors.NONE;
    }

    /** Access modes abbreviated in Kubernetes' fixed order: RWO, ROX, RWX, RWOP. */
    static String accessModes(List<JsonNode> modes) {
        List<String> texts = modes.stream().map(Fields::text).toList();
        List<String> out = new ArrayList<>();
        if (texts.contains("ReadWriteOnce")) out.add("RWO");
        if (texts.contains("ReadOnlyMany")) out.add("ROX");
        if (texts.contains("ReadWriteMany")) out.add("RWX");
        if (texts.contains("ReadWriteOncePod")) out.add("RWOP");
        return String.join(",", out);
    }

    /** A quantity in canonical form; {@code 0} when absent, as Kubernetes prints a zero quantity. */
    static String quantity(JsonNode value) {
        return quantity(Fields.text(value));
    }

    /**
     * The canonical text kube-apiserver would have stored ({@code 1024Mi} reads back as {@code 1Gi}); the
     * stored JSON keeps the client's text, so printers canonicalize. Text that is not a quantity prints as is.
     */
    static String quantity(String text) {
        return text.isEmpty() ? "0" : Quantity.canonical(text).orElse(text);
    }

    private static String volumeClass(JsonNode pv) {
        JsonNode annotation = JsonTree.at(pv, "metadata.annotations").path(BETA_STORAGE_CLASS);
        if (!annotation.isMissingNode()) {
            return Fields.text(annotation);
        }
        return Fields.text(pv, "spec.storageClassName");
    }

    private static String claimClass(JsonNode pvc) {
        JsonNode annotation = JsonTree.at(pvc, "metadata.annotations").path(BETA_STORAGE_CLASS);
        if (!annotation.isMissingNode()) {
            return Fields.text(annotation);
        }
        return Fields.text(pvc, "spec.storageClassName");
    }

    private static boolean isDefaultClass(JsonNode storageClass) {
        JsonNode annotations = JsonTree.at(storageClass, "metadata.annotations");
        return "true".equals(Fields.text(annotations.path("storageclass.kubernetes.io/is-default-class")))
                || "true".equals(Fields.text(annotations.path("storageclass.beta.kubernetes.io/is-default-class")));
    }

    /** {@code resource: used/hard} for each hard limit, sorted; limits in one column, the rest in the other. */
    private static String quotaUsage(JsonNode quota, boolean limits) {
        JsonNode used = JsonTree.at(quota, "status.used");
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, String> hard : Fields.stringMap(quota, "status.hard").entrySet()) {
            String resource = hard.getKey();
            String[] pieces = resource.split("\\.");
            boolean isLimit = pieces.length > 1 && pieces[0].equals("limits");
            if (isLimit == limits) {
                parts.add(resource + ": " + quantity(used.path(resource)) + "/" + quantity(hard.getValue()));
            }
        }
        return String.join(", ", parts);
    }

    private static String orUnknown(String s) {
        return s.isEmpty() ? HumanDuration.UNKNOWN : s;
    }

    private static String orNone(String s) {
        return s.isEmpty() ? Selectors.NONE : s;
    }

    /**
     * Events: {@code LAST SEEN TYPE REASON OBJECT MESSAGE | SUBOBJECT SOURCE FIRST SEEN COUNT NAME}
     * (the wide columns sit between the others, in kube-apiserver's order).
     */
    static final class EventPrinter implements TablePrinter {

        private static final List<TableColumn> COLUMNS = List.of(
                string("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
                string("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
                string("Reason", "This should be a short, machine understandable string that gives the reason for the"
                        + " transition into the object's current status."),
                string("Object", "The object that this event is about."),
                string("Subobject", "The field of the object the event is about, e.g. spec.containers{name}.").wide(),
                string("Source", "The component reporting this event.").wide(),
                string("Message", "A human-readable description of the status of this operation."),
                string("First Seen", "The time at which the event was first recorded.").wide(),
                string("Count", "The number of times this event has occurred.").wide(),
                new TableColumn("Name", "string", "name", TableColumn.NAME_DESCRIPTION, 1));

        @Override
        public List<TableColumn> columns() {
            return COLUMNS;
        }

        @Override
        public List<Object> cells(ObjectNode event, Instant now) {
            String firstSeen = Fields.has(event, "firstTimestamp")
                    ? HumanDuration.since(Fields.text(event, "firstTimestamp"), now)
                    : HumanDuration.since(Fields.text(event, "eventTime"), now);
            String lastSeen = Fields.has(event, "lastTimestamp")
                    ? HumanDuration.since(Fields.text(event, "lastTimestamp"), now)
                    : firstSeen;
            long count = Fields.integer(event, "count", 0);
            if (JsonTree.at(event, "series").isObject()) {
                lastSeen = HumanDuration.since(Fields.text(event, "series.lastObservedTime"), now);
                count = Fields.integer(event, "series.count", 0);
            } else if (count == 0) {
                count = 1; // events of the events.k8s.io API carry no count: they happened once
            }
            String kind = Fields.text(event, "involvedObject.kind").toLowerCase();
            String target = Fields.has(event, "involvedObject.name")
                    ? kind + "/" + Fields.text(event, "involvedObject.name") : kind;
            String component = firstNonEmpty(Fields.text(event, "source.component"), Fields.text(event, "reportingComponent"));
            String instance = firstNonEmpty(Fields.text(event, "source.host"), Fields.text(event, "reportingInstance"));
            String source = instance.isEmpty() ? component : component + ", " + instance;

            List<Object> cells = new ArrayList<>(COLUMNS.size());
            cells.add(lastSeen);
            cells.add(Fields.text(event, "type"));
            cells.add(Fields.text(event, "reason"));
            cells.add(target);
            cells.add(Fields.text(event, "involvedObject.fieldPath"));
            cells.add(source);
            cells.add(Fields.text(event, "message").strip());
            cells.add(firstSeen);
            cells.add(count);
            cells.add(Fields.text(event, "metadata.name"));
            return cells;
        }

        private static String firstNonEmpty(String a, String b) {
            return a.isEmpty() ? b : a;
        }
    }
}
