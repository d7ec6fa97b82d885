package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.Json;
import io.kube4j.machinery.object.JsonTree;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * Jobs (batch/v1): completions and parallelism 1, backoffLimit 6, completionMode NonIndexed,
 * suspend and manualSelector false, podReplacementPolicy TerminatingOrFailed; on create, unless
 * {@code manualSelector}, the selector {@code batch.kubernetes.io/controller-uid=<uid>} and the
 * template labels Kubernetes generates (both the {@code batch.kubernetes.io/} and the legacy
 * names). The uid comes from the gateway, which sets it before strategies run.
 */
@Component
public final class JobStrategy extends BaseStrategy {

    static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
    static final String JOB_NAME = "batch.kubernetes.io/job-name";
    static final String LEGACY_CONTROLLER_UID = "controller-uid";
    static final String LEGACY_JOB_NAME = "job-name";
    static final List<String> RESTART_POLICIES = List.of("OnFailure", "Never");
    private static final List<String> COMPLETION_MODES = List.of("NonIndexed", "Indexed");

    public JobStrategy() {
        super("batch", "Job");
    }

    @Override
    public void defaults(ObjectNode job) {
        ObjectNode spec = Workloads.spec(job);
        if (!JsonTree.present(spec, "completions") && !JsonTree.present(spec, "parallelism")) {
            spec.put("completions", 1);
            spec.put("parallelism", 1);
        }
        Defaulting.defaultInt(spec, "parallelism", 1);
        if (!JsonTree.present(spec, "backoffLimit")) {
            spec.put("backoffLimit", JsonTree.present(spec, "backoffLimitPerIndex") ? Integer.MAX_VALUE : 6);
        }
        copyTemplateLabels(job);
        Defaulting.defaultText(spec, "completionMode", "NonIndexed");
        Defaulting.defaultBool(spec, "suspend", false);
        Defaulting.defaultText(spec, "podReplacementPolicy", JsonTree.present(spec, "podFailurePolicy") ? "Failed" : "TerminatingOrFailed");
        Defaulting.defaultBool(spec, "manualSelector", false);
        if (spec.get("podFailurePolicy") instanceof ObjectNode pfp) {
            JsonTree.eachObject(pfp, "rules", (i, rule) -> JsonTree.eachObject(rule, "onPodConditions",
                    (j, cond) -> Defaulting.defaultText(cond, "status", "True")));
        }
        PodSpecDefaults.defaultTemplate(JsonTree.ensureObject(spec, "template"));
    }

    /** A Job without labels of its own shows its template's (kube-apiserver defaults them on every read). */
    private static void copyTemplateLabels(ObjectNode job) {
        ObjectNode template = JsonTree.object(JsonTree.object(job, "spec"), "template");
        ObjectNode labels = JsonTree.object(JsonTree.object(template, "metadata"), "labels");
        if (labels == null) return;
        ObjectNode metadata = JsonTree.ensureObject(job, "metadata");
        if (JsonTree.isEmpty(metadata.get("labels"))) metadata.set("labels", labels.deepCopy());
    }

    @Override
    public void prepareForCreate(ObjectNode job, AdmissionContext context) {
        Workloads.resetStatus(job);
        ObjectNode spec = Workloads.spec(job);
        if (!Boolean.TRUE.equals(JsonTree.bool(spec, "manualSelector"))) {
            ObjectNode metadata = JsonTree.ensureObject(job, "metadata");
            String name = JsonTree.stringOrEmpty(metadata, "name");
            String uid = JsonTree.stringOrEmpty(metadata, "uid");
            ObjectNode templateMeta = JsonTree.ensureObject(JsonTree.ensureObject(spec, "template"), "metadata");
            ObjectNode labels = JsonTree.ensureObject(templateMeta, "labels");
            for (String key : List.of(LEGACY_JOB_NAME, JOB_NAME)) if (!labels.has(key)) labels.put(key, name);
            for (String key : List.of(LEGACY_CONTROLLER_UID, CONTROLLER_UID)) if (!labels.has(key)) labels.put(key, uid);
            ObjectNode selector = JsonTree.ensureObject(spec, "selector");
            ObjectNode matchLabels = JsonTree.ensureObject(selector, "matchLabels");
            if (!matchLabels.has(CONTROLLER_UID)) matchLabels.put(CONTROLLER_UID, uid);
        }
        copyTemplateLabels(job);
    }

    @Override
    public List<StatusCause> validate(ObjectNode job, ObjectNode old) {
        Causes causes = new Causes();
        FieldPath specPath = FieldPath.of("spec");
        ObjectNode spec = JsonTree.object(job, "spec");
        if (spec == null) return causes.required(specPath).list();
        if (old == null) validateGeneratedSelector(job, spec, causes);
        validateJobSpec(spec, specPath, true, causes);
        ObjectNode oldSpec = JsonTree.object(old, "spec");
        if (oldSpec != null) {
            Workloads.selectorImmutable(spec, oldSpec, specPath, causes);
            JsonNode template = spec.get("template");
            if (template != null && !template.equals(oldSpec.get("template"))) {
                causes.immutable(specPath.child("template"), new GoValues.Raw(String.valueOf(template)));
            }
            if (!String.valueOf(spec.get("completionMode")).equals(String.valueOf(oldSpec.get("completionMode")))) {
                causes.immutable(specPath.child("completionMode"), JsonTree.stringOrEmpty(spec, "completionMode"));
            }
            boolean indexed = "Indexed".equals(JsonTree.string(spec, "completionMode"));
            if (!indexed && !String.valueOf(spec.get("completions")).equals(String.valueOf(oldSpec.get("completions")))) {
                causes.immutable(specPath.child("completions"), new GoValues.Raw(String.valueOf(spec.get("completions"))));
            }
        }
        return causes.list();
    }

    private static void validateGeneratedSelector(ObjectNode job, ObjectNode spec, Causes causes) {
        if (Boolean.TRUE.equals(JsonTree.bool(spec, "manualSelector"))) return;
        ObjectNode metadata = JsonTree.object(job, "metadata");
        String uid = JsonTree.stringOrEmpty(metadata, "uid");
        String name = JsonTree.stringOrEmpty(metadata, "name");
        if (uid.isEmpty()) causes.required(FieldPath.of("metadata", "uid"));
        Map<String, String> labels = JsonTree.stringMap(JsonTree.object(JsonTree.object(spec, "template"), "metadata"), "labels");
        FieldPath labelsPath = FieldPath.of("spec", "template", "metadata", "labels");
        for (Map.Entry<String, String> expected : Map.of(LEGACY_CONTROLLER_UID, uid, LEGACY_JOB_NAME, name,
                CONTROLLER_UID, uid, JOB_NAME, name).entrySet()) {
            String actual = labels.get(expected.getKey());
            if (actual == null) causes.required(labelsPath.key(expected.getKey()), "must be '" + expected.getValue() + "'");
            else if (!actual.equals(expected.getValue())) {
                causes.invalid(labelsPath.key(expected.getKey()), actual, "must be '" + expected.getValue() + "'");
            }
        }
        JsonNode selector = spec.get("selector");
        ObjectNode generated = Json.object();
        generated.putObject("matchLabels").put(CONTROLLER_UID, uid);
        if (selector != null && !selector.equals(generated)) {
            causes.invalid(FieldPath.of("spec", "selector"), LabelSelectors.render(selector), "`selector` not auto-generated");
        }
    }

    /**
     * A JobSpec, also inside a CronJob's jobTemplate (where the selector is generated later and
     * so is not required).
     */
    static void validateJobSpec(ObjectNode spec, FieldPath path, boolean requireSelector, Causes causes) {
        JsonNode selector = spec.get("selector");
        if (selector == null || selector.isNull()) {
            if (requireSelector) causes.required(path.child("selector"));
        } else {
            LabelSelectors.validate(selector, path.child("selector"), causes);
        }
        ObjectNode template = JsonTree.object(spec, "template");
        if (selector != null && selector.isObject() && template != null) {
            ObjectNode templateMeta = JsonTree.object(template, "metadata");
            if (!LabelSelectors.matches(selector, JsonTree.stringMap(templateMeta, "labels"))) {
                causes.invalid(path.child("template", "metadata", "labels"),
                        GoValues.stringMap(templateMeta == null ? null : templateMeta.get("labels")),
                        "`selector` does not match template `labels`");
            }
        }
        for (String f : List.of("parallelism", "completions", "activeDeadlineSeconds", "backoffLimit",
                "ttlSecondsAfterFinished", "backoffLimitPerIndex", "maxFailedIndexes")) {
            Workloads.nonNegative(spec, f, path, causes);
        }
        String mode = JsonTree.stringOrEmpty(spec, "completionMode");
        if (!mode.isEmpty() && !COMPLETION_MODES.contains(mode)) {
            causes.notSupported(path.child("completionMode"), mode, COMPLETION_MODES);
        }
        if (mode.equals("Indexed") && !JsonTree.present(spec, "completions")) {
            causes.required(path.child("completions"), "when completion mode is Indexed");
        }
        String replacement = JsonTree.stringOrEmpty(spec, "podReplacementPolicy");
        if (!replacement.isEmpty() && !List.of("TerminatingOrFailed", "Failed").contains(replacement)) {
            causes.notSupported(path.child("podReplacementPolicy"), replacement, List.of("TerminatingOrFailed", "Failed"));
        }
        PodSpecValidation.validateTemplate(template, path.child("template"), causes, null);
        if (template != null && template.get("spec") instanceof ObjectNode podSpec) {
            String restart = JsonTree.stringOrEmpty(podSpec, "restartPolicy");
            if (!RESTART_POLICIES.contains(restart)) {
                causes.notSupported(path.child("template", "spec", "restartPolicy"), restart, RESTART_POLICIES);
            } else if (restart.equals("OnFailure") && JsonTree.present(spec, "podFailurePolicy")) {
                causes.invalid(path.child("template", "spec", "restartPolicy"), restart,
                        "only \"Never\" is supported when podFailurePolicy is specified");
            }
        }
    }
}
