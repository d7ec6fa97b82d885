package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.JsonTree;
import io.kube4j.machinery.validation.NameValidation;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Set;

/**
 * StatefulSets (apps/v1): podManagementPolicy OrderedReady, RollingUpdate with partition 0,
 * PVC retention Retain/Retain, replicas 1, revisionHistoryLimit 10, the template's and the claim
 * templates' defaults (with their apiVersion and kind). On update only replicas, ordinals, template, updateStrategy,
 * revisionHistoryLimit, persistentVolumeClaimRetentionPolicy and minReadySeconds may change.
 */
@Component
public final class StatefulSetStrategy extends BaseStrategy {

    private static final Set<String> UPDATABLE = Set.of("replicas", "ordinals", "template", "updateStrategy",
            "revisionHistoryLimit", "persistentVolumeClaimRetentionPolicy", "minReadySeconds");
    private static final List<String> RETENTION = List.of("Retain", "Delete");

    public StatefulSetStrategy() {
        super("apps", "StatefulSet");
    }

    @Override
    public void defaults(ObjectNode sts) {
        ObjectNode spec = Workloads.spec(sts);
        Defaulting.defaultText(spec, "podManagementPolicy", "OrderedReady");
        ObjectNode strategy = JsonTree.ensureObject(spec, "updateStrategy");
        if (JsonTree.isEmpty(strategy.get("type"))) {
            strategy.put("type", "RollingUpdate");
            if (!JsonTree.present(strategy, "rollingUpdate")) strategy.putObject("rollingUpdate");
        }
        if ("RollingUpdate".equals(JsonTree.string(strategy, "type")) && strategy.get("rollingUpdate") instanceof ObjectNode r) {
            Defaulting.defaultInt(r, "partition", 0);
        }
        ObjectNode retention = JsonTree.ensureObject(spec, "persistentVolumeClaimRetentionPolicy");
        Defaulting.defaultText(retention, "whenDeleted", "Retain");
        Defaulting.defaultText(retention, "whenScaled", "Retain");
        Defaulting.defaultInt(spec, "replicas", 1);
        Defaulting.defaultInt(spec, "revisionHistoryLimit", 10);
        PodSpecDefaults.defaultTemplate(JsonTree.ensureObject(spec, "template"));
        JsonTree.eachObject(spec, "volumeClaimTemplates", (i, claim) -> {
            // kube-apiserver stores claim templates with their type (tools that diff manifests know it).
            Defaulting.defaultText(claim, "apiVersion", "v1");
            Defaulting.defaultText(claim, "kind", "PersistentVolumeClaim");
            PodSpecDefaults.templateMetadata(JsonTree.ensureObject(claim, "metadata"));
            ClaimDefaults.defaultClaim(claim);
        });
    }

    @Override
    public void prepareForCreate(ObjectNode sts, AdmissionContext context) {
        Workloads.resetStatus(sts);
        ObjectNode status = JsonTree.ensureObject(sts, "status");
        status.put("availableReplicas", 0);
        status.put("replicas", 0);
    }

    /** The spec with each claim template as a volume of the pod template, as its pods will have them. */
    private static ObjectNode withClaimVolumes(ObjectNode spec) {
        ObjectNode copy = spec.deepCopy();
        if (!(copy.get("template") instanceof ObjectNode template) || !(template.get("spec") instanceof ObjectNode podSpec)) {
            return copy;
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        JsonTree.eachObject(podSpec, "volumes", (i, v) -> names.add(JsonTree.stringOrEmpty(v, "name")));
        JsonTree.eachObject(spec, "volumeClaimTemplates", (i, claim) -> {
            String name = JsonTree.stringOrEmpty(JsonTree.object(claim, "metadata"), "name");
            if (name.isEmpty() || names.contains(name)) return;
            ObjectNode volume = podSpec.withArrayProperty("volumes").addObject();
            volume.put("name", name);
            volume.putObject("persistentVolumeClaim").put("claimName", name);
        });
        return copy;
    }

    @Override
    public List<StatusCause> validate(ObjectNode sts, ObjectNode old) {
        Causes causes = new Causes();
        FieldPath specPath = FieldPath.of("spec");
        ObjectNode spec = JsonTree.object(sts, "spec");
        if (spec == null) return causes.required(specPath).list();
        String policy = JsonTree.stringOrEmpty(spec, "podManagementPolicy");
        if (!List.of("OrderedReady", "Parallel").contains(policy)) {
            causes.invalid(specPath.child("podManagementPolicy"), policy, "must be 'OrderedReady' or 'Parallel'");
        }
        ObjectNode strategy = JsonTree.object(spec, "updateStrategy");
        String type = JsonTree.stringOrEmpty(strategy, "type");
        FieldPath strategyPath = specPath.child("updateStrategy");
        JsonNode rolling = strategy == null ? null : strategy.get("rollingUpdate");
        switch (type) {
            case "OnDelete" -> {
                if (rolling != null && !rolling.isNull()) {
                    causes.invalid(strategyPath.child("rollingUpdate"), new GoValues.Raw(String.valueOf(rolling)),
                            "only allowed for updateStrategy 'RollingUpdate'");
                }
            }
            case "RollingUpdate" -> {
                Long partition = JsonTree.integer(rolling, "partition");
                if (partition != null) causes.nonNegative(strategyPath.child("rollingUpdate", "partition"), partition);
            }
            default -> causes.invalid(strategyPath, type, "must be 'RollingUpdate' or 'OnDelete'");
        }
        ObjectNode retention = JsonTree.object(spec, "persistentVolumeClaimRetentionPolicy");
        for (String f : List.of("whenDeleted", "whenScaled")) {
            String v = JsonTree.stringOrEmpty(retention, f);
            if (!RETENTION.contains(v)) {
                causes.notSupported(specPath.child("persistentVolumeClaimRetentionPolicy", f), v, RETENTION);
            }
        }
        Workloads.nonNegative(spec, "replicas", specPath, causes);
        Workloads.nonNegative(spec, "minReadySeconds", specPath, causes);
        Workloads.nonNegative(spec, "revisionHistoryLimit", specPath, causes);
        String serviceName = JsonTree.string(spec, "serviceName");
        if (serviceName != null && !serviceName.isEmpty()) {
            causes.invalidEach(specPath.child("serviceName"), serviceName, NameValidation.isDns1123Label(serviceName));
        }
        Workloads.validateSelectorAndTemplate(withClaimVolumes(spec), specPath, "statefulset", Workloads.ALWAYS, causes);
        JsonTree.eachObject(spec, "volumeClaimTemplates", (i, claim) -> {
            FieldPath p = specPath.child("volumeClaimTemplates").index(i);
            String name = JsonTree.stringOrEmpty(JsonTree.object(claim, "metadata"), "name");
            if (name.isEmpty()) causes.required(p.child("metadata", "name"));
            ObjectNode claimSpec = JsonTree.object(claim, "spec");
            if (claimSpec == null) causes.required(p.child("spec"));
            else PersistentVolumeClaimStrategy.validateClaimSpec(claimSpec, p.child("spec"), causes);
        });
        ObjectNode oldSpec = JsonTree.object(old, "spec");
        if (oldSpec != null) {
            ObjectNode a = spec.deepCopy();
            ObjectNode b = oldSpec.deepCopy();
            a.remove(UPDATABLE);
            b.remove(UPDATABLE);
            if (!a.equals(b)) {
                causes.forbidden(specPath, "updates to statefulset spec for fields other than 'replicas', 'ordinals', "
                        + "'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' "
                        + "and 'minReadySeconds' are forbidden");
            }
        }
        return causes.list();
    }
}
