package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.JsonTree;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * DaemonSets (apps/v1): RollingUpdate with maxUnavailable 1 and maxSurge 0,
 * revisionHistoryLimit 10 and the template's defaults; the selector selects the template and
 * may not change.
 */
@Component
public final class DaemonSetStrategy extends BaseStrategy {

    private static final List<String> TYPES = List.of("OnDelete", "RollingUpdate");

    public DaemonSetStrategy() {
        super("apps", "DaemonSet");
    }

    @Override
    public void defaults(ObjectNode ds) {
        ObjectNode spec = Workloads.spec(ds);
        ObjectNode strategy = JsonTree.ensureObject(spec, "updateStrategy");
        Defaulting.defaultText(strategy, "type", "RollingUpdate");
        if ("RollingUpdate".equals(JsonTree.string(strategy, "type"))) {
            ObjectNode rolling = JsonTree.ensureObject(strategy, "rollingUpdate");
            Defaulting.defaultInt(rolling, "maxUnavailable", 1);
            Defaulting.defaultInt(rolling, "maxSurge", 0);
        }
        Defaulting.defaultInt(spec, "revisionHistoryLimit", 10);
        PodSpecDefaults.defaultTemplate(JsonTree.ensureObject(spec, "template"));
    }

    @Override
    public void prepareForCreate(ObjectNode ds, AdmissionContext context) {
        Workloads.resetStatus(ds);
        ObjectNode status = JsonTree.ensureObject(ds, "status");
        for (String f : List.of("currentNumberScheduled", "desiredNumberScheduled", "numberMisscheduled", "numberReady")) {
            status.put(f, 0);
        }
    }

    @Override
    public List<StatusCause> validate(ObjectNode ds, ObjectNode old) {
        Causes causes = new Causes();
        FieldPath specPath = FieldPath.of("spec");
        ObjectNode spec = JsonTree.object(ds, "spec");
        if (spec == null) return causes.required(specPath).list();
        Workloads.validateSelectorAndTemplate(spec, specPath, "daemonset", Workloads.ALWAYS, causes);
        ObjectNode strategy = JsonTree.object(spec, "updateStrategy");
        String type = JsonTree.stringOrEmpty(strategy, "type");
        FieldPath strategyPath = specPath.child("updateStrategy");
        if (!TYPES.contains(type)) {
            causes.notSupported(strategyPath, type, TYPES);
        } else if (type.equals("RollingUpdate")) {
            JsonNode rolling = strategy.get("rollingUpdate");
            if (!(rolling instanceof ObjectNode r)) {
                causes.required(strategyPath.child("rollingUpdate"));
            } else {
                DeploymentStrategy.validateRollingUpdate(r, strategyPath.child("rollingUpdate"), causes);
            }
        }
        Workloads.nonNegative(spec, "minReadySeconds", specPath, causes);
        Workloads.nonNegative(spec, "revisionHistoryLimit", specPath, causes);
        Workloads.selectorImmutable(spec, JsonTree.object(old, "spec"), specPath, causes);
        return causes.list();
    }
}
