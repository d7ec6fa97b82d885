package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.JsonTree;
import io.kube4j.machinery.validation.NameValidation;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Objects;

/**
 * StorageClasses (storage.k8s.io/v1): reclaimPolicy Delete, volumeBindingMode Immediate; a
 * provisioner required; provisioner, parameters, reclaimPolicy and volumeBindingMode immutable.
 */
@Component
public final class StorageClassStrategy extends BaseStrategy {

    private static final List<String> RECLAIM = List.of("Delete", "Retain");
    private static final List<String> BINDING = List.of("Immediate", "WaitForFirstConsumer");

    public StorageClassStrategy() {
        super("storage.k8s.io", "StorageClass");
    }

    @Override
    public void defaults(ObjectNode sc) {
        Defaulting.defaultText(sc, "reclaimPolicy", "Delete");
        Defaulting.defaultText(sc, "volumeBindingMode", "Immediate");
    }

    @Override
    public List<StatusCause> validate(ObjectNode sc, ObjectNode old) {
        Causes causes = new Causes();
        String provisioner = JsonTree.stringOrEmpty(sc, "provisioner");
        if (provisioner.isEmpty()) causes.required(FieldPath.of("provisioner"));
        else causes.invalidEach(FieldPath.of("provisioner"), provisioner, NameValidation.isQualifiedName(provisioner.toLowerCase()));
        String reclaim = JsonTree.stringOrEmpty(sc, "reclaimPolicy");
        if (!RECLAIM.contains(reclaim)) causes.notSupported(FieldPath.of("reclaimPolicy"), reclaim, RECLAIM);
        String binding = JsonTree.stringOrEmpty(sc, "volumeBindingMode");
        if (!BINDING.contains(binding)) causes.notSupported(FieldPath.of("volumeBindingMode"), binding, BINDING);
        if (sc.get("parameters") instanceof ObjectNode params && params.size() > 512) {
            causes.tooMany(FieldPath.of("parameters"), params.size(), 512);
        }
        if (old != null) {
            if (!Objects.equals(sc.get("parameters"), old.get("parameters"))) {
                causes.forbidden(FieldPath.of("parameters"), "updates to parameters are forbidden.");
            }
            if (!provisioner.equals(JsonTree.stringOrEmpty(old, "provisioner"))) {
                causes.forbidden(FieldPath.of("provisioner"), "updates to provisioner are forbidden.");
            }
            if (!reclaim.equals(JsonTree.stringOrEmpty(old, "reclaimPolicy"))) {
                causes.forbidden(FieldPath.of("reclaimPolicy"), "updates to reclaimPolicy are forbidden.");
            }
            if (!binding.equals(JsonTree.stringOrEmpty(old, "volumeBindingMode"))) {
                causes.immutable(FieldPath.of("volumeBindingMode"), binding);
            }
        }
        return causes.list();
    }
}
