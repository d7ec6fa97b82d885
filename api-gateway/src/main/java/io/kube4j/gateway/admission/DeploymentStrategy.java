package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;
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
        Json.defaultInt(spec, "replicas", 1);
        ObjectNode strategy = Json.ensureObj(spec, "strategy");
        Json.defaultText(strategy, "type", "RollingUpdate");
        if ("RollingUpdate".equals(Json.text(strategy, "type"))) {
            ObjectNode rolling = Json.ensureObj(strategy, "rollingUpdate");
            if (!Json.present(rolling, "maxUnavailable")) rolling.put("maxUnavailable", "25%");
            if (!Json.present(rolling, "maxSurge")) rolling.put("maxSurge", "25%");
        }
        Json.defaultInt(spec, "revisionHistoryLimit", 10);
        Json.defaultInt(spec, "progressDeadlineSeconds", 600);
        PodSpecDefaults.defaultTemplate(Json.ensureObj(spec, "template"));
    }

    @Override
    public void prepareForCreate(ObjectNode deployment, AdmissionContext context) {
        Workloads.resetStatus(deployment);
    }

    @Override
    public List<StatusCause> validate(ObjectNode deployment, ObjectNode old) {
        Causes causes = new Causes();
        FieldPath specPath = FieldPath.of("spec");
        ObjectNode spec = Json.obj(deployment, "spec");
        if (spec == null) return causes.required(specPath).list();
        Workloads.nonNegative(spec, "replicas", specPath, causes);
        Workloads.validateSelectorAndTemplate(spec, specPath, "deployment", Workloads.ALWAYS, causes);
        validateStrategy(Json.obj(spec, "strategy"), specPath.child("strategy"), causes);
        Workloads.nonNegative(spec, "minReadySeconds", specPath, causes);
        Workloads.nonNegative(spec, "revisionHistoryLimit", specPath, causes);
        Long deadline = Json.integer(spec, "progressDeadlineSeconds");
        if (deadline != null) {
            causes.nonNegative(specPath.child("progressDeadlineSeconds"), deadline);
            Long minReady = Json.integer(spec, "minReadySeconds");
            if (deadline <= (minReady == null ? 0 : minReady)) {
                causes.invalid(specPath.child("progressDeadlineSeconds"), deadline, "must be greater than minReadySeconds");
            }
        }
        Workloads.selectorImmutable(spec, Json.obj(old, "spec"), specPath, causes);
        return causes.list();
    }

    private static void validateStrategy(ObjectNode strategy, FieldPath path, Causes causes) {
        String type = Json.textOrEmpty(strategy, "type");
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
