package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.JsonTree;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/** ServiceAccounts (v1): referenced secrets and image pull secrets are named. */
@Component
public final class ServiceAccountStrategy extends BaseStrategy {

    public ServiceAccountStrategy() {
        super("", "ServiceAccount");
    }

    @Override
    public List<StatusCause> validate(ObjectNode account, ObjectNode old) {
        Causes causes = new Causes();
        for (String list : List.of("secrets", "imagePullSecrets")) {
            JsonTree.eachObject(account, list, (i, ref) -> {
                if (JsonTree.stringOrEmpty(ref, "name").isEmpty()) causes.required(FieldPath.of(list).index(i).child("name"));
            });
        }
        return causes.list();
    }
}
