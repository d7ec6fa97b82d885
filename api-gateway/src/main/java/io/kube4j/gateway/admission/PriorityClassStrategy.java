package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.JsonTree;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Objects;

/**
 * PriorityClasses (scheduling.k8s.io/v1): preemptionPolicy PreemptLowerPriority; user classes
 * at most 1,000,000,000 and not named {@code system-}; value and preemptionPolicy immutable.
 */
@Component
public final class PriorityClassStrategy extends BaseStrategy {

    static final long HIGHEST_USER_PRIORITY = 1_000_000_000L;
    private static final List<String> SYSTEM_CLASSES = List.of("system-node-critical", "system-cluster-critical");
    private static final List<String> POLICIES = List.of("Never", "PreemptLowerPriority");

    public PriorityClassStrategy() {
        super("scheduling.k8s.io", "PriorityClass");
    }

    @Override
    public void defaults(ObjectNode priorityClass) {
        Defaulting.defaultText(priorityClass, "preemptionPolicy", "PreemptLowerPriority");
    }

    @Override
    public List<StatusCause> validate(ObjectNode priorityClass, ObjectNode old) {
        Causes causes = new Causes();
        String name = JsonTree.stringOrEmpty(JsonTree.object(priorityClass, "metadata"), "name");
        boolean system = SYSTEM_CLASSES.contains(name);
        if (name.startsWith("system-") && !system) {
            causes.invalid(FieldPath.of("metadata", "name"), name, "priority class names with 'system-' prefix are reserved");
        }
        Long value = JsonTree.integer(priorityClass, "value");
        if (value == null) {
            causes.required(FieldPath.of("value"));
        } else if (!system && value > HIGHEST_USER_PRIORITY) {
            causes.invalid(FieldPath.of("value"), value,
                    "maximum allowed value of a user defined priority is " + HIGHEST_USER_PRIORITY);
        }
        String policy = JsonTree.stringOrEmpty(priorityClass, "preemptionPolicy");
        if (!POLICIES.contains(policy)) causes.notSupported(FieldPath.of("preemptionPolicy"), policy, POLICIES);
        if (old != null) {
            if (!Objects.equals(priorityClass.get("value"), old.get("value"))) {
                causes.forbidden(FieldPath.of("value"), "may not be changed in an update.");
            }
            if (!policy.equals(JsonTree.stringOrEmpty(old, "preemptionPolicy"))) {
                causes.immutable(FieldPath.of("preemptionPolicy"), policy);
            }
        }
        return causes.list();
    }
}
