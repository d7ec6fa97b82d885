package io.kube4j.gateway.table;

import io.kube4j.machinery.object.KubeObject;
import io.kube4j.machinery.object.JsonTree;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.stream.Collectors;

import static io.kube4j.gateway.table.ColumnPrinter.age;
import static io.kube4j.gateway.table.ColumnPrinter.col;
import static io.kube4j.gateway.table.ColumnPrinter.name;
import static io.kube4j.gateway.table.ColumnPrinter.timed;
import static io.kube4j.gateway.table.TableColumn.integer;
import static io.kube4j.gateway.table.TableColumn.string;

/** Printers of the workload kinds: apps, batch, autoscaling and policy. */
final class WorkloadPrinters {

    private WorkloadPrinters() {}

    private static final TableColumn CONTAINERS = string("Containers", "Names of each container in the template.").wide();
    private static final TableColumn IMAGES = string("Images", "Images referenced by each container in the template.").wide();
    private static final String SELECTOR_DESCRIPTION = "Label query over pods that should match the replica count.";

    static final TablePrinter DEPLOYMENT = ColumnPrinter.of(
            name(),
            col(string("Ready", "Number of the pod with ready state"),
                    o -> Fields.integer(o, "status.readyReplicas", 0) + "/" + Fields.integer(o, "spec.replicas", 1)),
            col(string("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the"
                    + " desired template spec."), o -> Fields.integer(o, "status.updatedReplicas", 0)),
            col(string("Available", "Total number of available pods targeted by this deployment."),
                    o -> Fields.integer(o, "status.availableReplicas", 0)),
            age(),
            col(CONTAINERS, o -> containerNames(o, "spec.template.spec.containers")),
            col(IMAGES, o -> containerImages(o, "spec.template.spec.containers")),
            col(string("Selector", SELECTOR_DESCRIPTION).wide(), o -> Selectors.selectorString(JsonTree.at(o, "spec.selector"))));

    static final TablePrinter REPLICA_SET = ColumnPrinter.of(
            name(),
            col(integer("Desired", "Replicas is the number of desired replicas."), o -> Fields.integer(o, "spec.replicas", 1)),
            col(integer("Current", "Replicas is the most recently observed number of replicas."),
                    o -> Fields.integer(o, "status.replicas", 0)),
            col(integer("Ready", "The number of ready replicas for this replica set."),
                    o -> Fields.integer(o, "status.readyReplicas", 0)),
            age(),
            col(CONTAINERS, o -> containerNames(o, "spec.template.spec.containers")),
            col(IMAGES, o -> containerImages(o, "spec.template.spec.containers")),
            col(string("Selector", SELECTOR_DESCRIPTION).wide(), o -> Selectors.formatLabelSelector(JsonTree.at(o, "spec.selector"))));

    static final TablePrinter REPLICATION_CONTROLLER = ColumnPrinter.of(
            name(),
            col(integer("Desired", "Replicas is the number of desired replicas."), o -> Fields.integer(o, "spec.replicas", 1)),
            col(integer("Current", "Replicas is the most recently observed number of replicas."),
                    o -> Fields.integer(o, "status.replicas", 0)),
            col(integer("Ready", "The number of ready replicas for this replication controller."),
                    o -> Fields.integer(o, "status.readyReplicas", 0)),
            age(),
            col(CONTAINERS, o -> containerNames(o, "spec.template.spec.containers")),
            col(IMAGES, o -> containerImages(o, "spec.template.spec.containers")),
            col(string("Selector", SELECTOR_DESCRIPTION).wide(), o -> Selectors.formatLabels(Fields.stringMap(o, "spec.selector"))));

    static final TablePrinter STATEFUL_SET = ColumnPrinter.of(
            name(),
            col(string("Ready", "Number of the pod with ready state"),
                    o -> Fields.integer(o, "status.readyReplicas", 0) + "/" + Fields.integer(o, "spec.replicas", 1)),
            age(),
            col(CONTAINERS, o -> containerNames(o, "spec.template.spec.containers")),
            col(IMAGES, o -> containerImages(o, "spec.template.spec.containers")));

    static final TablePrinter DAEMON_SET = ColumnPrinter.of(
            name(),
            col(integer("Desired", "The total number of nodes that should be running the daemon pod."),
                    o -> Fields.integer(o, "status.desiredNumberScheduled", 0)),
            col(integer("Current", "The number of nodes that are running at least one daemon pod and are supposed"
                    + " to run the daemon pod."), o -> Fields.integer(o, "status.currentNumberScheduled", 0)),
            col(integer("Ready", "The number of nodes that should be running the daemon pod and have one or more of"
                    + " the daemon pod running and ready."), o -> Fields.integer(o, "status.numberReady", 0)),
            col(integer("Up-to-date", "The total number of nodes that are running updated daemon pod."),
                    o -> Fields.integer(o, "status.updatedNumberScheduled", 0)),
            col(integer("Available", "The number of nodes that should be running the daemon pod and have one or"
                    + " more of the daemon pod running and available."), o -> Fields.integer(o, "status.numberAvailable", 0)),
            col(string("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node."),
                    o -> Selectors.formatLabels(Fields.stringMap(o, "spec.template.spec.nodeSelector"))),
            age(),
            col(CONTAINERS, o -> containerNames(o, "spec.template.spec.containers")),
            col(IMAGES, o -> containerImages(o, "spec.template.spec.containers")),
            col(string("Selector", "A label query over pods that are managed by the daemon set.").wide(),
                    o -> Selectors.formatLabelSelector(JsonTree.at(o, "spec.selector"))));

    static final TablePrinter CONTROLLER_REVISION = ColumnPrinter.of(
            name(),
            col(string("Controller", "Controller of the object"), WorkloadPrinters::controllerOf),
            col(string("Revision", "Revision indicates the revision of the state represented by Data."),
                    o -> Fields.integer(o, "revision", 0)),
            age());

    static final TablePrinter JOB = ColumnPrinter.of(
            name(),
            col(string("Status", "Status of the job."), WorkloadPrinters::jobStatus),
            col(string("Completions", "The number of pods which reached phase Succeeded."), WorkloadPrinters::jobCompletions),
            timed(string("Duration", "Time required to complete the job."), WorkloadPrinters::jobDuration),
            age(),
            col(CONTAINERS, o -> containerNames(o, "spec.template.spec.containers")),
            col(IMAGES, o -> containerImages(o, "spec.template.spec.containers")),
            col(string("Selector", "A label query over pods that should match the pod count.").wide(),
                    o -> Selectors.formatLabelSelector(JsonTree.at(o, "spec.selector"))));

    static final TablePrinter CRON_JOB = ColumnPrinter.of(
            name(),
            col(string("Schedule", "The schedule in Cron format."), o -> Fields.text(o, "spec.schedule")),
            col(string("Timezone", "The time zone name for the given schedule."),
                    o -> Fields.has(o, "spec.timeZone") ? Fields.text(o, "spec.timeZone") : Selectors.NONE),
            col(TableColumn.bool("Suspend", "This flag tells the controller to suspend subsequent executions."),
                    o -> boolPointer(JsonTree.at(o, "spec.suspend"))),
            col(integer("Active", "A list of pointers to currently running jobs."), o -> (long) Fields.size(o, "status.active")),
            timed(string("Last Schedule", "Information when was the last time the job was successfully scheduled."),
                    (o, now) -> Fields.has(o, "status.lastScheduleTime")
                            ? HumanDuration.since(Fields.text(o, "status.lastScheduleTime"), now) : Selectors.NONE),
            age(),
            col(CONTAINERS, o -> containerNames(o, "spec.jobTemplate.spec.template.spec.containers")),
            col(IMAGES, o -> containerImages(o, "spec.jobTemplate.spec.template.spec.containers")),
            col(string("Selector", "A label query over pods that should match the pod count.").wide(),
                    o -> Selectors.formatLabelSelector(JsonTree.at(o, "spec.jobTemplate.spec.selector"))));

    static final TablePrinter HORIZONTAL_POD_AUTOSCALER = ColumnPrinter.of(
            name(),
            col(string("Reference", "Reference to scaled resource."),
                    o -> Fields.text(o, "spec.scaleTargetRef.kind") + "/" + Fields.text(o, "spec.scaleTargetRef.name")),
            col(string("Targets", "The specifications for which to use to calculate the desired replica count."),
                    HpaTargets::format),
            col(string("MinPods", "The lower limit for the number of replicas."),
                    o -> Fields.present(o, "spec.minReplicas") ? Long.toString(Fields.integer(o, "spec.minReplicas", 0)) : "<unset>"),
            col(string("MaxPods", "The upper limit for the number of replicas."), o -> Fields.integer(o, "spec.maxReplicas", 0)),
            col(string("Replicas", "Current number of replicas of pods managed by this autoscaler."),
                    o -> Fields.integer(o, "status.currentReplicas", 0)),
            age());

    static final TablePrinter POD_DISRUPTION_BUDGET = ColumnPrinter.of(
            name(),
            col(string("Min Available", "The minimum number of pods that must be available."),
                    o -> orNa(Fields.intOrString(o, "spec.minAvailable"))),
            col(string("Max Unavailable", "The maximum number of pods that may be unavailable."),
                    o -> orNa(Fields.intOrString(o, "spec.maxUnavailable"))),
            col(integer("Allowed Disruptions", "Calculated number of pods that may be disrupted at this time."),
                    o -> Fields.integer(o, "status.disruptionsAllowed", 0)),
            age());

    /** Container names joined by commas, as the wide CONTAINERS column shows them. */
    static String containerNames(JsonNode object, String path) {
        return Fields.list(object, path).stream().map(c -> Fields.text(c, "name")).collect(Collectors.joining(","));
    }

    static String containerImages(JsonNode object, String path) {
        return Fields.list(object, path).stream().map(c -> Fields.text(c, "image")).collect(Collectors.joining(","));
    }

    /** {@code True}, {@code False}, or {@code <unset>} for an absent optional boolean. */
    static String boolPointer(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return "<unset>";
        }
        return value.asBoolean() ? "True" : "False";
    }

    private static String orNa(String s) {
        return s == null ? "N/A" : s;
    }

    /** The controlling owner as {@code kind.group/name} in lower case, or {@code <none>}. */
    static String controllerOf(JsonNode object) {
        for (JsonNode owner : Fields.list(object, "metadata.ownerReferences")) {
            if (!Fields.bool(owner, "controller")) {
                continue;
            }
            String apiVersion = Fields.text(owner, "apiVersion");
            String[] parts = apiVersion.split("/", -1);
            String group = switch (parts.length) {
                case 1 -> "";
                case 2 -> parts[0];
                default -> null;
            };
            if (group == null) {
                return Selectors.NONE;
            }
            String kind = Fields.text(owner, "kind");
            String groupKind = group.isEmpty() ? kind : kind + "." + group;
            return groupKind.isEmpty() ? Fields.text(owner, "name") : groupKind.toLowerCase() + "/" + Fields.text(owner, "name");
        }
        return Selectors.NONE;
    }

    static String jobStatus(JsonNode job) {
        if (KubeObject.conditionTrue(job, "Complete")) return "Complete";
        if (KubeObject.conditionTrue(job, "Failed")) return "Failed";
        if (Fields.has(job, "metadata.deletionTimestamp")) return "Terminating";
        if (KubeObject.conditionTrue(job, "Suspended")) return "Suspended";
        if (KubeObject.conditionTrue(job, "FailureTarget")) return "FailureTarget";
        return "Running";
    }


    static String jobCompletions(JsonNode job) {
        long succeeded = Fields.integer(job, "status.succeeded", 0);
        if (Fields.present(job, "spec.completions")) {
            return succeeded + "/" + Fields.integer(job, "spec.completions", 0);
        }
        long parallelism = Fields.integer(job, "spec.parallelism", 0);
        return parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
    }

    static String jobDuration(JsonNode job, Instant now) {
        Instant start = HumanDuration.parse(Fields.text(job, "status.startTime"));
        if (start == null) {
            return "";
        }
        Instant end = HumanDuration.parse(Fields.text(job, "status.completionTime"));
        return HumanDuration.between(start, end == null ? now : end);
    }
}
