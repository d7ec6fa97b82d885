package io.kube4j.gateway.admission;

import io.kube4j.machinery.object.JsonTree;
import io.kube4j.machinery.validation.NameValidation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/** Defaulting and validation shared by the four RBAC kinds. */
final class Rbac {

    private Rbac() {}

    static final String GROUP = "rbac.authorization.k8s.io";
    private static final List<String> SUBJECT_KINDS = List.of("ServiceAccount", "User", "Group");

    static void validateRules(ObjectNode role, boolean namespaced, Causes causes) {
        JsonTree.eachObject(role, "rules", (i, rule) -> {
            FieldPath p = FieldPath.of("rules").index(i);
            if (JsonTree.elements(rule, "verbs").isEmpty()) causes.required(p.child("verbs"), "verbs must contain at least one value");
            List<JsonNode> urls = JsonTree.elements(rule, "nonResourceURLs");
            if (!urls.isEmpty()) {
                GoValues.Raw value = GoValues.stringSlice(urls.stream().map(u -> String.valueOf(JsonTree.string(u))).toList());
                if (namespaced) causes.invalid(p.child("nonResourceURLs"), value, "namespaced rules cannot apply to non-resource URLs");
                if (!JsonTree.elements(rule, "apiGroups").isEmpty() || !JsonTree.elements(rule, "resources").isEmpty()
                        || !JsonTree.elements(rule, "resourceNames").isEmpty()) {
                    causes.invalid(p.child("nonResourceURLs"), value, "rules cannot apply to both regular resources and non-resource URLs");
                }
                return;
            }
            if (JsonTree.elements(rule, "apiGroups").isEmpty()) causes.required(p.child("apiGroups"), "resource rules must supply at least one api group");
            if (JsonTree.elements(rule, "resources").isEmpty()) causes.required(p.child("resources"), "resource rules must supply at least one resource");
        });
    }

    static void defaultBinding(ObjectNode binding) {
        ObjectNode roleRef = JsonTree.ensureObject(binding, "roleRef");
        Defaulting.defaultText(roleRef, "apiGroup", GROUP);
        JsonTree.eachObject(binding, "subjects", (i, s) -> {
            String kind = JsonTree.stringOrEmpty(s, "kind");
            if (!JsonTree.present(s, "apiGroup") && (kind.equals("User") || kind.equals("Group"))) s.put("apiGroup", GROUP);
        });
    }

    static void validateBinding(ObjectNode binding, ObjectNode old, List<String> roleKinds, boolean namespaced, Causes causes) {
        ObjectNode roleRef = JsonTree.object(binding, "roleRef");
        FieldPath refPath = FieldPath.of("roleRef");
        String apiGroup = JsonTree.stringOrEmpty(roleRef, "apiGroup");
        String kind = JsonTree.stringOrEmpty(roleRef, "kind");
        String name = JsonTree.stringOrEmpty(roleRef, "name");
        if (!apiGroup.equals(GROUP)) causes.notSupported(refPath.child("apiGroup"), apiGroup, List.of(GROUP));
        if (!roleKinds.contains(kind)) causes.notSupported(refPath.child("kind"), kind, roleKinds);
        if (name.isEmpty()) causes.required(refPath.child("name"));
        else causes.invalidEach(refPath.child("name"), name, pathSegment(name));
        JsonTree.eachObject(binding, "subjects", (i, s) -> {
            FieldPath p = FieldPath.of("subjects").index(i);
            String subjectKind = JsonTree.stringOrEmpty(s, "kind");
            String subjectName = JsonTree.stringOrEmpty(s, "name");
            String subjectGroup = JsonTree.stringOrEmpty(s, "apiGroup");
            if (subjectName.isEmpty()) causes.required(p.child("name"));
            switch (subjectKind) {
                case "ServiceAccount" -> {
                    if (!subjectName.isEmpty()) causes.invalidEach(p.child("name"), subjectName, NameValidation.isDns1123Subdomain(subjectName));
                    if (!subjectGroup.isEmpty()) causes.notSupported(p.child("apiGroup"), subjectGroup, List.of(""));
                    if (!namespaced && JsonTree.stringOrEmpty(s, "namespace").isEmpty()) causes.required(p.child("namespace"));
                }
                case "User", "Group" -> {
                    if (!subjectGroup.equals(GROUP)) causes.notSupported(p.child("apiGroup"), subjectGroup, List.of(GROUP));
                }
                default -> causes.notSupported(p.child("kind"), subjectKind, SUBJECT_KINDS);
            }
        });
        ObjectNode oldRef = JsonTree.object(old, "roleRef");
        if (oldRef != null && !oldRef.equals(roleRef)) {
            causes.invalid(refPath, new GoValues.Raw("rbac.RoleRef{APIGroup:" + GoValues.quote(apiGroup) + ", Kind:"
                    + GoValues.quote(kind) + ", Name:" + GoValues.quote(name) + "}"), "cannot change roleRef");
        }
    }

    /** Role names are path segments: anything but {@code .}, {@code ..} and names with {@code /} or {@code %}. */
    static List<String> pathSegment(String name) {
        if (name.equals(".") || name.equals("..")) return List.of("may not be '" + name + "'");
        for (String bad : List.of("/", "%")) {
            if (name.contains(bad)) return List.of("may not contain '" + bad + "'");
        }
        return List.of();
    }
}
