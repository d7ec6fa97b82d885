package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.JsonTree;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/** Leases (coordination.k8s.io/v1): {@code spec: {}} when absent; a positive duration, non-negative transitions. */
@Component
public final class LeaseStrategy extends BaseStrategy {

    public LeaseStrategy() {
        super("coordination.k8s.io", "Lease");
    }

    @Override
    public void defaults(ObjectNode lease) {
        Defaulting.defaultObj(lease, "spec");
    }

    @Override
    public List<StatusCause> validate(ObjectNode lease, ObjectNode old) {
        Causes causes = new Causes();
        ObjectNode spec = JsonTree.object(lease, "spec");
        Long duration = JsonTree.integer(spec, "leaseDurationSeconds");
        if (duration != null && duration <= 0) {
            causes.invalid(FieldPath.of("spec", "leaseDurationSeconds"), duration, "must be greater than 0");
        }
        Long transitions = JsonTree.integer(spec, "leaseTransitions");
        if (transitions != null) causes.nonNegative(FieldPath.of("spec", "leaseTransitions"), transitions);
        return causes.list();
    }
}
