package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.JsonTree;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * ReplicationControllers (v1): the selector and the object's labels default to the template's
 * labels, replicas to 1; the selector (a plain map) must select the template.
 */
@Component
public final class ReplicationControllerStrategy extends BaseStrategy {

    public ReplicationControllerStrategy() {
        super("", "ReplicationController");
    }

    @Override
    public void defaults(ObjectNode rc) {
        ObjectNode spec = Workloads.spec(rc);
        if (spec.get("template") instanceof ObjectNode template) {
            ObjectNode metadata = JsonTree.object(template, "metadata");
            if (metadata != null && metadata.get("labels") instanceof ObjectNode labels) {
                if (JsonTree.isEmpty(spec.get("selector"))) spec.set("selector", labels.deepCopy());
                ObjectNode meta = JsonTree.ensureObject(rc, "metadata");
                if (JsonTree.isEmpty(meta.get("labels"))) meta.set("labels", labels.deepCopy());
            }
            PodSpecDefaults.defaultTemplate(template);
        }
        Defaulting.defaultInt(spec, "replicas", 1);
    }

    @Override
    public void prepareForCreate(ObjectNode rc, AdmissionContext context) {
        Workloads.resetStatus(rc);
        JsonTree.ensureObject(rc, "status").put("replicas", 0);
    }

    @Override
    public List<StatusCause> validate(ObjectNode rc, ObjectNode old) {
        Causes causes = new Causes();
        FieldPath specPath = FieldPath.of("spec");
        ObjectNode spec = JsonTree.object(rc, "spec");
        if (spec == null) return causes.required(specPath).list();
        Map<String, String> selector = JsonTree.stringMap(spec, "selector");
        if (selector.isEmpty()) causes.required(specPath.child("selector"));
        else LabelSelectors.validateLabels(spec.get("selector"), specPath.child("selector"), causes);
        Workloads.nonNegative(spec, "replicas", specPath, causes);
        Workloads.nonNegative(spec, "minReadySeconds", specPath, causes);
        if (spec.get("template") instanceof ObjectNode template && !selector.isEmpty()) {
            Map<String, String> labels = JsonTree.stringMap(JsonTree.object(template, "metadata"), "labels");
            boolean matches = selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
            if (!matches) {
                ObjectNode metadata = JsonTree.object(template, "metadata");
                causes.invalid(specPath.child("template", "metadata", "labels"),
                        GoValues.stringMap(metadata == null ? null : metadata.get("labels")),
                        "`selector` does not match template `labels`");
            }
        }
        PodSpecValidation.validateTemplate(spec.get("template"), specPath.child("template"), causes, Workloads.ALWAYS);
        Workloads.forbidActiveDeadline(spec.get("template"), specPath, "ReplicationController", causes);
        return causes.list();
    }
}
