package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.JsonTree;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Deployments (apps/v1): replicas 1, RollingUpdate 25%/25%, revisionHistoryLimit 10,
 * progressDeadlineSeconds 600 and the template's defaults; the selector must select the
 * template's labels and may not change.
 */
@Component
public final class DeploymentStrategy extends BaseStrategy {

    private static final List<String> TYPES = List.of("Recreate", "RollingUpdate");

    public DeploymentStrategy() {
        super("apps", "Deployment");
    }

    @Override
    public void defaults(ObjectNode deployment) {
        ObjectNode spec = Workloads.spec(deployment);
        Defaulting.defaultInt(spec, "replicas", 1);
        ObjectNode strategy = JsonTree.ensureObject(spec, "strategy");
        Defaulting.defaultText(strategy, "type", "RollingUpdate");
        if ("RollingUpdate".equals(JsonTree.string(strategy, "type"))) {
            ObjectNode rolling = JsonTree.ensureObject(strategy, "rollingUpdate");
            if (!JsonTree.present(rolling, "maxUnavailable")) rolling.put("maxUnavailable", "25%");
            if (!JsonTree.present(rolling, "maxSurge")) rolling.put("maxSurge", "25%");
        }
        Defaulting.defaultInt(spec, "revisionHistoryLimit", 10);
        Defaulting.defaultInt(spec, "progressDeadlineSeconds", 600);
        PodSpecDefaults.defaultTemplate(JsonTree.ensureObject(spec, "template"));
    }

    @Override
    public void prepareForCreate(ObjectNode deployment, AdmissionContext context) {
        Workloads.resetStatus(deployment);
    }

    @Override
    public List<StatusCause> validate(ObjectNode deployment, ObjectNode old) {
        Causes causes = new Causes();
        FieldPath specPath = FieldPath.of("spec");
        ObjectNode spec = JsonTree.object(deployment, "spec");
        if (spec == null) return causes.required(specPath).list();
        Workloads.nonNegative(spec, "replicas", specPath, causes);
        Workloads.validateSelectorAndTemplate(spec, specPath, "deployment", Workloads.ALWAYS, causes);
        validateStrategy(JsonTree.object(spec, "strategy"), specPath.child("strategy"), causes);
        Workloads.nonNegative(spec, "minReadySeconds", specPath, causes);
        Workloads.nonNegative(spec, "revisionHistoryLimit", specPath, causes);
        Long deadline = JsonTree.integer(spec, "progressDeadlineSeconds");
        if (deadline != null) {
            causes.nonNegative(specPath.child("progressDeadlineSeconds"), deadline);
            Long minReady = JsonTree.integer(spec, "minReadySeconds");
            if (deadline <= (minReady == null ? 0 : minReady)) {
                causes.invalid(specPath.child("progressDeadlineSeconds"), deadline, "must be greater than minReadySeconds");
            }
        }
        Workloads.selectorImmutable(spec, JsonTree.object(old, "spec"), specPath, causes);
        return causes.list();
    }

    private static void validateStrategy(ObjectNode strategy, FieldPath path, Causes causes) {
        String type = JsonTree.stringOrEmpty(strategy, "type");
        JsonNode rolling = strategy == null ? null : strategy.get("rollingUpdate");
        switch (type) {
            case "Recreate" -> {
                if (rolling != null && !rolling.isNull()) {
                    causes.forbidden(path.child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'");
                }
            }
            case "RollingUpdate" -> {
                if (!(rolling instanceof ObjectNode r)) {
                    causes.required(path.child("rollingUpdate"), "this should be defaulted and never be nil");
                } else {
                    validateRollingUpdate(r, path.child("rollingUpdate"), causes);
                }
            }
            default -> causes.notSupported(path.child("type"), type, TYPES);
        }
    }

    /** maxUnavailable and maxSurge: non-negative, not both zero, maxUnavailable at most 100%. */
    static void validateRollingUpdate(ObjectNode rolling, FieldPath path, Causes causes) {
        JsonNode maxUnavailable = rolling.get("maxUnavailable");
        JsonNode maxSurge = rolling.get("maxSurge");
        Workloads.validateIntOrPercent(maxUnavailable, path.child("maxUnavailable"), true, causes);
        Workloads.validateIntOrPercent(maxSurge, path.child("maxSurge"), false, causes);
        if (Workloads.isZero(maxUnavailable) && Workloads.isZero(maxSurge)) {
            causes.invalid(path.child("maxUnavailable"), Workloads.intOrString(maxUnavailable),
                    "may not be 0 when `maxSurge` is 0");
        }
    }
}
