package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * ClusterRoleBindings (rbac.authorization.k8s.io/v1): roleRef.apiGroup and the apiGroup of User and Group
 * subjects default to rbac.authorization.k8s.io; roleRef refers to a ClusterRole and may not change.
 */
@Component
public final class ClusterRoleBindingStrategy extends BaseStrategy {

    public ClusterRoleBindingStrategy() {
        super(Rbac.GROUP, "ClusterRoleBinding");
    }

    @Override
    public void defaults(ObjectNode binding) {
        Rbac.defaultBinding(binding);
    }

    @Override
    public List<StatusCause> validate(ObjectNode binding, ObjectNode old) {
        Causes causes = new Causes();
        Rbac.validateBinding(binding, old, List.of("ClusterRole"), false, causes);
        return causes.list();
    }
}
