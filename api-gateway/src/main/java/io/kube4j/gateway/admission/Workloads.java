package io.kube4j.gateway.admission;

import io.kube4j.machinery.object.JsonTree;
import io.kube4j.machinery.validation.NameValidation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.regex.Pattern;

/** Validation shared by the workload kinds that own pods through a selector and a template. */
final class Workloads {

    private Workloads() {}

    static final List<String> ALWAYS = List.of("Always");

    private static final String PERCENT_FMT = "[0-9]+%";
    private static final Pattern PERCENT = Pattern.compile(PERCENT_FMT);
    private static final String PERCENT_MESSAGE = NameValidation.regexError(
            "a valid percent string must be a numeric string followed by an ending '%'", PERCENT_FMT, "1%", "93%");

    /**
     * The selector is required and non-empty, and selects the template's labels; then the
     * template itself, with the restart policies the kind allows.
     */
    static void validateSelectorAndTemplate(ObjectNode spec, FieldPath specPath, String kindWord,
                                            List<String> restartPolicies, Causes causes) {
        JsonNode selector = spec.get("selector");
        FieldPath selectorPath = specPath.child("selector");
        boolean usable = false;
        if (selector == null || selector.isNull()) {
            causes.required(selectorPath);
        } else {
            LabelSelectors.validate(selector, selectorPath, causes);
            if (LabelSelectors.isEmpty(selector)) {
                causes.invalid(selectorPath, LabelSelectors.render(selector), "empty selector is invalid for " + kindWord);
            } else {
                usable = true;
            }
        }
        JsonNode template = spec.get("template");
        if (usable && template instanceof ObjectNode t) {
            JsonNode labels = JsonTree.object(t, "metadata") == null ? null : t.get("metadata").get("labels");
            if (!LabelSelectors.matches(selector, JsonTree.stringMap(JsonTree.object(t, "metadata"), "labels"))) {
                causes.invalid(specPath.child("template", "metadata", "labels"), GoValues.stringMap(labels),
                        "`selector` does not match template `labels`");
            }
        }
        PodSpecValidation.validateTemplate(template, specPath.child("template"), causes, restartPolicies);
        forbidActiveDeadline(template, specPath, switch (kindWord) {
            case "statefulset" -> "StatefulSet";
            case "daemonset" -> "DaemonSet";
            default -> "ReplicaSet";
        }, causes);
    }

    /** Pods of controllers that keep them running may not have a deadline. */
    static void forbidActiveDeadline(JsonNode template, FieldPath specPath, String owner, Causes causes) {
        JsonNode spec = template == null ? null : template.get("spec");
        if (spec != null && JsonTree.present(spec, "activeDeadlineSeconds")) {
            causes.forbidden(specPath.child("template", "spec", "activeDeadlineSeconds"),
                    "activeDeadlineSeconds in " + owner + " is not Supported");
        }
    }

    static void nonNegative(ObjectNode spec, String field, FieldPath specPath, Causes causes) {
        Long v = JsonTree.integer(spec, field);
        if (v != null) causes.nonNegative(specPath.child(field), v);
    }

    /** The selector may not change once set (apps/v1). */
    static void selectorImmutable(ObjectNode spec, ObjectNode oldSpec, FieldPath specPath, Causes causes) {
        if (oldSpec == null) return;
        JsonNode now = spec.get("selector");
        JsonNode before = oldSpec.get("selector");
        if (before != null && !before.isNull() && !before.equals(now)) {
            causes.immutable(specPath.child("selector"), LabelSelectors.render(now));
        }
    }

    /**
     * An IntOrString that is a count or a percentage (maxSurge, maxUnavailable, minAvailable):
     * non-negative, and at most 100% as a percentage when {@code max100}.
     */
    static void validateIntOrPercent(JsonNode value, FieldPath path, boolean max100, Causes causes) {
        if (value == null || value.isNull()) return;
        if (value.isIntegralNumber()) {
            causes.nonNegative(path, value.longValue());
        } else if (value.isString()) {
            String s = value.stringValue();
            if (!PERCENT.matcher(s).matches()) {
                causes.invalid(path, intOrString(value), PERCENT_MESSAGE);
            } else if (max100 && Long.parseLong(s.substring(0, s.length() - 1)) > 100) {
                causes.invalid(path, intOrString(value), "must not be greater than 100%");
            }
        } else {
            causes.invalid(path, value, "must be an integer or percentage (e.g '5%')");
        }
    }

    /** An IntOrString as Go's {@code %#v} prints it in errors. */
    static GoValues.Raw intOrString(JsonNode value) {
        if (value != null && value.isString()) {
            return new GoValues.Raw("intstr.IntOrString{Type:1, IntVal:0, StrVal:" + GoValues.quote(value.stringValue()) + "}");
        }
        long n = value != null && value.isIntegralNumber() ? value.longValue() : 0;
        return new GoValues.Raw("intstr.IntOrString{Type:0, IntVal:" + n + ", StrVal:\"\"}");
    }

    /** Whether an IntOrString is zero: {@code 0} or {@code "0%"}. */
    static boolean isZero(JsonNode value) {
        if (value == null || value.isNull()) return true;
        if (value.isIntegralNumber()) return value.longValue() == 0;
        return value.isString() && value.stringValue().matches("0+%");
    }

    static ObjectNode spec(ObjectNode object) {
        return JsonTree.ensureObject(object, "spec");
    }

    /** Status is the controllers' to write: a created object starts with an empty one. */
    static void resetStatus(ObjectNode object) {
        object.putObject("status");
    }
}
