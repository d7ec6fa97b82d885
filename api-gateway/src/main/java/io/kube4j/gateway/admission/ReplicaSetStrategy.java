package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.JsonTree;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/** ReplicaSets (apps/v1): replicas 1 and the template's defaults; selector matching and immutable. */
@Component
public final class ReplicaSetStrategy extends BaseStrategy {

    public ReplicaSetStrategy() {
        super("apps", "ReplicaSet");
    }

    @Override
    public void defaults(ObjectNode rs) {
        ObjectNode spec = Workloads.spec(rs);
        Defaulting.defaultInt(spec, "replicas", 1);
        PodSpecDefaults.defaultTemplate(JsonTree.ensureObject(spec, "template"));
    }

    @Override
    public void prepareForCreate(ObjectNode rs, AdmissionContext context) {
        Workloads.resetStatus(rs);
        JsonTree.ensureObject(rs, "status").put("replicas", 0);
    }

    @Override
    public List<StatusCause> validate(ObjectNode rs, ObjectNode old) {
        Causes causes = new Causes();
        FieldPath specPath = FieldPath.of("spec");
        ObjectNode spec = JsonTree.object(rs, "spec");
        if (spec == null) return causes.required(specPath).list();
        Workloads.nonNegative(spec, "replicas", specPath, causes);
        Workloads.nonNegative(spec, "minReadySeconds", specPath, causes);
        // kube-apiserver says "deployment" here too.
        Workloads.validateSelectorAndTemplate(spec, specPath, "deployment", Workloads.ALWAYS, causes);
        Workloads.selectorImmutable(spec, JsonTree.object(old, "spec"), specPath, causes);
        return causes.list();
    }
}
