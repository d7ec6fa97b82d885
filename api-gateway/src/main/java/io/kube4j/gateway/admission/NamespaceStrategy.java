package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.JsonTree;
import io.kube4j.machinery.validation.NameValidation;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Namespaces (v1): the label {@code kubernetes.io/metadata.name}, status.phase Active and, on
 * create, the finalizer {@code kubernetes}; spec.finalizers change only through the finalize
 * subresource, so an update keeps them.
 */
@Component
public final class NamespaceStrategy extends BaseStrategy {

    static final String NAME_LABEL = "kubernetes.io/metadata.name";

    public NamespaceStrategy() {
        super("", "Namespace");
    }

    @Override
    public void defaults(ObjectNode namespace) {
        nameLabel(namespace);
        Defaulting.defaultText(JsonTree.ensureObject(namespace, "status"), "phase", "Active");
    }

    private static void nameLabel(ObjectNode namespace) {
        ObjectNode metadata = JsonTree.ensureObject(namespace, "metadata");
        String name = JsonTree.stringOrEmpty(metadata, "name");
        if (!name.isEmpty()) JsonTree.ensureObject(metadata, "labels").put(NAME_LABEL, name);
    }

    @Override
    public void prepareForCreate(ObjectNode namespace, AdmissionContext context) {
        JsonTree.ensureObject(namespace, "spec").putArray("finalizers").add("kubernetes");
        namespace.putObject("status").put("phase", "Active");
        nameLabel(namespace);
    }

    @Override
    public void prepareForUpdate(ObjectNode namespace, ObjectNode old, AdmissionContext context) {
        ObjectNode spec = JsonTree.ensureObject(namespace, "spec");
        JsonNode oldFinalizers = JsonTree.object(old, "spec") == null ? null : old.get("spec").get("finalizers");
        if (oldFinalizers == null) spec.remove("finalizers");
        else spec.set("finalizers", oldFinalizers.deepCopy());
        nameLabel(namespace);
    }

    @Override
    public List<StatusCause> validate(ObjectNode namespace, ObjectNode old) {
        Causes causes = new Causes();
        String name = JsonTree.stringOrEmpty(JsonTree.object(namespace, "metadata"), "name");
        if (!name.isEmpty()) causes.invalidEach(FieldPath.of("metadata", "name"), name, NameValidation.isDns1123Label(name));
        List<JsonNode> finalizers = JsonTree.elements(JsonTree.object(namespace, "spec"), "finalizers");
        for (int i = 0; i < finalizers.size(); i++) {
            String f = JsonTree.string(finalizers.get(i));
            if (f == null) continue;
            if (!f.equals("kubernetes") && !f.contains("/")) {
                causes.invalid(FieldPath.of("spec", "finalizers").index(i), f,
                        "name is neither a standard finalizer name nor is it fully qualified");
            } else if (f.contains("/")) {
                causes.invalidEach(FieldPath.of("spec", "finalizers").index(i), f, NameValidation.isQualifiedName(f));
            }
        }
        return causes.list();
    }
}
