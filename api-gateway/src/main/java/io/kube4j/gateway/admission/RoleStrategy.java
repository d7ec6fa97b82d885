package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/** Roles (rbac.authorization.k8s.io/v1): each rule has verbs and either resources with API groups or non-resource URLs (not in a namespaced role). */
@Component
public final class RoleStrategy extends BaseStrategy {

    public RoleStrategy() {
        super(Rbac.GROUP, "Role");
    }

    @Override
    public List<StatusCause> validate(ObjectNode role, ObjectNode old) {
        Causes causes = new Causes();
        Rbac.validateRules(role, true, causes);
        return causes.list();
    }
}
