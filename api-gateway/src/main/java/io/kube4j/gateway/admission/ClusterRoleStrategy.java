package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.JsonTree;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/** ClusterRoles (rbac.authorization.k8s.io/v1): each rule has verbs and either resources with API groups or non-resource URLs; an aggregation rule needs selectors. */
@Component
public final class ClusterRoleStrategy extends BaseStrategy {

    public ClusterRoleStrategy() {
        super(Rbac.GROUP, "ClusterRole");
    }

    @Override
    public List<StatusCause> validate(ObjectNode role, ObjectNode old) {
        Causes causes = new Causes();
        Rbac.validateRules(role, false, causes);
        ObjectNode aggregation = JsonTree.object(role, "aggregationRule");
        if (aggregation != null && JsonTree.elements(aggregation, "clusterRoleSelectors").isEmpty()) {
            causes.required(FieldPath.of("aggregationRule", "clusterRoleSelectors"),
                    "at least one clusterRoleSelector required if aggregationRule is non-nil");
        }
        JsonTree.eachObject(aggregation, "clusterRoleSelectors", (i, selector) -> LabelSelectors.validate(selector,
                FieldPath.of("aggregationRule", "clusterRoleSelectors").index(i), causes));
        return causes.list();
    }
}
