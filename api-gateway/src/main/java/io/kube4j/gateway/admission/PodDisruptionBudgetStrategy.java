package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.JsonTree;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * PodDisruptionBudgets (policy/v1): minAvailable or maxUnavailable (not both), each a count or a
 * percentage up to 100%; a valid selector; the zero status counters kube-apiserver prints.
 */
@Component
public final class PodDisruptionBudgetStrategy extends BaseStrategy {

    private static final List<String> EVICTION = List.of("AlwaysAllow", "IfHealthyBudget");

    public PodDisruptionBudgetStrategy() {
        super("policy", "PodDisruptionBudget");
    }

    @Override
    public void prepareForCreate(ObjectNode pdb, AdmissionContext context) {
        ObjectNode status = pdb.putObject("status");
        for (String f : List.of("currentHealthy", "desiredHealthy", "disruptionsAllowed", "expectedPods")) status.put(f, 0);
    }

    @Override
    public List<StatusCause> validate(ObjectNode pdb, ObjectNode old) {
        Causes causes = new Causes();
        FieldPath specPath = FieldPath.of("spec");
        ObjectNode spec = JsonTree.object(pdb, "spec");
        if (spec == null) return causes.list();
        JsonNode min = spec.get("minAvailable");
        JsonNode max = spec.get("maxUnavailable");
        if (min != null && !min.isNull() && max != null && !max.isNull()) {
            causes.invalid(specPath, new GoValues.Raw(spec.toString()), "minAvailable and maxUnavailable cannot be both set");
        }
        Workloads.validateIntOrPercent(min, specPath.child("minAvailable"), true, causes);
        Workloads.validateIntOrPercent(max, specPath.child("maxUnavailable"), true, causes);
        LabelSelectors.validate(spec.get("selector"), specPath.child("selector"), causes);
        String policy = JsonTree.string(spec, "unhealthyPodEvictionPolicy");
        if (policy != null && !EVICTION.contains(policy)) causes.notSupported(specPath.child("unhealthyPodEvictionPolicy"), policy, EVICTION);
        return causes.list();
    }
}
