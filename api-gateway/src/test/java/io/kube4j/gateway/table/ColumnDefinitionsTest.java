package io.kube4j.gateway.table;

import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.machinery.registry.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The headers of every kind, as kube-apiserver sends them; {@code *} marks the {@code -o wide} ones. */
class ColumnDefinitionsTest {

    record Case(ResourceType type, List<String> headers) {
        @Override
        public String toString() {
            return type.plural();
        }
    }

    static Stream<Case> kinds() {
        List<String> workload = List.of("Containers*", "Images*", "Selector*");
        return Stream.of(
                new Case(BuiltInTypes.POD, List.of("Name", "Ready", "Status", "Restarts", "Age", "IP*", "Node*",
                        "Nominated Node*", "Readiness Gates*")),
                new Case(BuiltInTypes.DEPLOYMENT, concat(List.of("Name", "Ready", "Up-to-date", "Available", "Age"), workload)),
                new Case(BuiltInTypes.REPLICA_SET, concat(List.of("Name", "Desired", "Current", "Ready", "Age"), workload)),
                new Case(BuiltInTypes.REPLICATION_CONTROLLER, concat(List.of("Name", "Desired", "Current", "Ready", "Age"), workload)),
                new Case(BuiltInTypes.STATEFUL_SET, List.of("Name", "Ready", "Age", "Containers*", "Images*")),
                new Case(BuiltInTypes.DAEMON_SET, concat(List.of("Name", "Desired", "Current", "Ready", "Up-to-date",
                        "Available", "Node Selector", "Age"), workload)),
                new Case(BuiltInTypes.JOB, concat(List.of("Name", "Status", "Completions", "Duration", "Age"), workload)),
                new Case(BuiltInTypes.CRON_JOB, concat(List.of("Name", "Schedule", "Timezone", "Suspend", "Active",
                        "Last Schedule", "Age"), workload)),
                new Case(BuiltInTypes.CONTROLLER_REVISION, List.of("Name", "Controller", "Revision", "Age")),
                new Case(BuiltInTypes.HORIZONTAL_POD_AUTOSCALER, List.of("Name", "Reference", "Targets", "MinPods",
                        "MaxPods", "Replicas", "Age")),
                new Case(BuiltInTypes.HORIZONTAL_POD_AUTOSCALER_V1, List.of("Name", "Reference", "Targets", "MinPods",
                        "MaxPods", "Replicas", "Age")),
                new Case(BuiltInTypes.POD_DISRUPTION_BUDGET, List.of("Name", "Min Available", "Max Unavailable",
                        "Allowed Disruptions", "Age")),
                new Case(BuiltInTypes.SERVICE, List.of("Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector*")),
                new Case(BuiltInTypes.ENDPOINTS, List.of("Name", "Endpoints", "Age")),
                new Case(BuiltInTypes.ENDPOINT_SLICE, List.of("Name", "AddressType", "Ports", "Endpoints", "Age")),
                new Case(BuiltInTypes.INGRESS, List.of("Name", "Class", "Hosts", "Address", "Ports", "Age")),
                new Case(BuiltInTypes.INGRESS_CLASS, List.of("Name", "Controller", "Parameters", "Age")),
                new Case(BuiltInTypes.NETWORK_POLICY, List.of("Name", "Pod-Selector", "Age")),
                new Case(BuiltInTypes.NODE, List.of("Name", "Status", "Roles", "Age", "Version", "Internal-IP*",
                        "External-IP*", "OS-Image*", "Kernel-Version*", "Container-Runtime*")),
                new Case(BuiltInTypes.NAMESPACE, List.of("Name", "Status", "Age")),
                new Case(BuiltInTypes.CONFIG_MAP, List.of("Name", "Data", "Age")),
                new Case(BuiltInTypes.SECRET, List.of("Name", "Type", "Data", "Age")),
                new Case(BuiltInTypes.SERVICE_ACCOUNT, List.of("Name", "Secrets", "Age")),
                new Case(BuiltInTypes.EVENT, List.of("Last Seen", "Type", "Reason", "Object", "Subobject*", "Source*",
                        "Message", "First Seen*", "Count*", "Name*")),
                new Case(BuiltInTypes.PERSISTENT_VOLUME, List.of("Name", "Capacity", "Access Modes", "Reclaim Policy",
                        "Status", "Claim", "StorageClass", "VolumeAttributesClass", "Reason", "Age", "VolumeMode*")),
                new Case(BuiltInTypes.PERSISTENT_VOLUME_CLAIM, List.of("Name", "Status", "Volume", "Capacity",
                        "Access Modes", "StorageClass", "VolumeAttributesClass", "Age", "VolumeMode*")),
                new Case(BuiltInTypes.STORAGE_CLASS, List.of("Name", "Provisioner", "ReclaimPolicy", "VolumeBindingMode",
                        "AllowVolumeExpansion", "Age")),
                new Case(BuiltInTypes.CSI_DRIVER, List.of("Name", "AttachRequired", "PodInfoOnMount", "StorageCapacity",
                        "TokenRequests", "RequiresRepublish", "Modes", "Age")),
                new Case(BuiltInTypes.CSI_NODE, List.of("Name", "Drivers", "Age")),
                new Case(BuiltInTypes.VOLUME_ATTACHMENT, List.of("Name", "Attacher", "PV", "Node", "Attached", "Age")),
                new Case(BuiltInTypes.RESOURCE_QUOTA, List.of("Name", "Age", "Request", "Limit")),
                new Case(BuiltInTypes.LEASE, List.of("Name", "Holder", "Age")),
                new Case(BuiltInTypes.PRIORITY_CLASS, List.of("Name", "Value", "Global-Default", "Age", "PreemptionPolicy")),
                new Case(BuiltInTypes.ROLE_BINDING, List.of("Name", "Role", "Age", "Users*", "Groups*", "ServiceAccounts*")),
                new Case(BuiltInTypes.CLUSTER_ROLE_BINDING, List.of("Name", "Role", "Age", "Users*", "Groups*", "ServiceAccounts*")),
                new Case(BuiltInTypes.ROLE, List.of("Name", "Created At")),
                new Case(BuiltInTypes.CLUSTER_ROLE, List.of("Name", "Created At")),
                new Case(BuiltInTypes.LIMIT_RANGE, List.of("Name", "Created At")),
                new Case(BuiltInTypes.CUSTOM_RESOURCE_DEFINITION, List.of("Name", "Created At")));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void headersAreKubeApiserversAndTheirCountMatchesTheCells(Case c) {
        assertThat(Printed.headers(c.type())).containsExactlyElementsOf(c.headers());
        // Every printer gives one cell per column, even for an object that is all but empty.
        assertThat(Printed.row(c.type(), "{\"metadata\":{\"name\":\"x\"}}").get("cells").size())
                .isEqualTo(c.headers().size());
    }

    @Test
    void everyServedBuiltInTypeIsListedHere() {
        // The review kinds are never listed, so they have no columns.
        assertThat(kinds().map(Case::type)).containsExactlyInAnyOrderElementsOf(
                BuiltInTypes.ALL.stream().filter(t -> !BuiltInTypes.REVIEWS.contains(t)).toList());
    }
}
