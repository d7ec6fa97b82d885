package io.kube4j.gateway.rbac;

import io.kube4j.gateway.security.Authenticator.UserInfo;
import io.kube4j.machinery.selection.LabelSelector;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One consistent view of the cluster's RBAC objects, answering "may this user do this?" as
 * Kubernetes' RBAC authorizer does: allowed when any ClusterRoleBinding, or any RoleBinding in
 * the request's namespace, binds one of the user's subjects to a role with a matching rule. There
 * are no deny rules. A ClusterRole with an {@code aggregationRule} holds the rules of every
 * ClusterRole its selectors match, as the aggregation controller would write them.
 *
 * <p>Immutable: built from the objects at once, replaced as a whole when they change.
 */
public final class RbacPolicy {

    /** Members of this group may do anything, as kube-apiserver's privileged group. */
    public static final String MASTERS_GROUP = "system:masters";

    private record Binding(List<JsonNode> subjects, String roleKind, String roleName) {
    }

    private final Map<String, List<RbacRule>> clusterRoles;
    private final Map<String, List<RbacRule>> roles;
    private final List<Binding> clusterBindings;
    private final Map<String, List<Binding>> bindingsByNamespace;

    private RbacPolicy(Map<String, List<RbacRule>> clusterRoles, Map<String, List<RbacRule>> roles,
                       List<Binding> clusterBindings, Map<String, List<Binding>> bindingsByNamespace) {
        this.clusterRoles = clusterRoles;
        this.roles = roles;
        this.clusterBindings = clusterBindings;
        this.bindingsByNamespace = bindingsByNamespace;
    }

    public static final RbacPolicy EMPTY = build(List.of(), List.of(), List.of(), List.of());

    public static RbacPolicy build(Collection<ObjectNode> clusterRoleObjects, Collection<ObjectNode> roleObjects,
                                   Collection<ObjectNode> clusterRoleBindings, Collection<ObjectNode> roleBindings) {
        Map<String, ObjectNode> byName = new LinkedHashMap<>();
        clusterRoleObjects.forEach(r -> byName.put(r.path("metadata").path("name").asString(""), r));
        Map<String, List<RbacRule>> clusterRoles = new HashMap<>();
        for (var entry : byName.entrySet()) {
            List<RbacRule> rules = new ArrayList<>(rules(entry.getValue()));
            JsonNode selectors = entry.getValue().path("aggregationRule").path("clusterRoleSelectors");
            if (selectors.isArray()) {
                for (JsonNode selector : selectors) {
                    LabelSelector match = LabelSelector.fromJson(selector);
                    for (var other : byName.entrySet()) {
                        if (other.getKey().equals(entry.getKey())) continue;
                        if (match.matches(labels(other.getValue()))) rules.addAll(rules(other.getValue()));
                    }
                }
            }
            clusterRoles.put(entry.getKey(), List.copyOf(rules));
        }
        Map<String, List<RbacRule>> roles = new HashMap<>();
        for (ObjectNode role : roleObjects) {
            roles.put(role.path("metadata").path("namespace").asString("") + "/" + role.path("metadata").path("name").asString(""), rules(role));
        }
        List<Binding> cluster = clusterRoleBindings.stream().map(RbacPolicy::binding).toList();
        Map<String, List<Binding>> namespaced = new HashMap<>();
        for (ObjectNode b : roleBindings) {
            namespaced.computeIfAbsent(b.path("metadata").path("namespace").asString(""), k -> new ArrayList<>()).add(binding(b));
        }
        return new RbacPolicy(clusterRoles, roles, cluster, namespaced);
    }

    private static Binding binding(ObjectNode b) {
        List<JsonNode> subjects = b.path("subjects").isArray() ? b.path("subjects").valueStream().toList() : List.of();
        return new Binding(subjects, b.path("roleRef").path("kind").asString(""), b.path("roleRef").path("name").asString(""));
    }

    private static List<RbacRule> rules(JsonNode role) {
        JsonNode rules = role.path("rules");
        return rules.isArray() ? rules.valueStream().map(RbacRule::of).toList() : List.of();
    }

    private static Map<String, String> labels(JsonNode object) {
        Map<String, String> labels = new HashMap<>();
        object.path("metadata").path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString("")));
        return labels;
    }

    /** Whether {@code user} may act on a resource; {@code namespace} is null at the cluster scope. */
    public boolean allowsResource(UserInfo user, String verb, String group, String resource, String namespace, String name) {
        if (user.groups().contains(MASTERS_GROUP)) return true;
        for (RbacRule rule : rules(user, namespace)) {
            if (rule.allowsResource(verb, group, resource, name)) return true;
        }
        return false;
    }

    /** Whether {@code user} may {@code verb} a non-resource path (only ClusterRoleBindings grant these). */
    public boolean allowsPath(UserInfo user, String verb, String path) {
        if (user.groups().contains(MASTERS_GROUP)) return true;
        for (RbacRule rule : rules(user, null)) {
            if (rule.allowsPath(verb, path)) return true;
        }
        return false;
    }

    /** Every rule that applies to {@code user} in {@code namespace} (null: cluster-wide rules only), for rules reviews. */
    public List<RbacRule> rules(UserInfo user, String namespace) {
        List<RbacRule> result = new ArrayList<>();
        for (Binding b : clusterBindings) {
            if (bindsUser(b, user, null)) result.addAll(clusterRoles.getOrDefault(b.roleName(), List.of()));
        }
        if (namespace != null) {
            for (Binding b : bindingsByNamespace.getOrDefault(namespace, List.of())) {
                if (!bindsUser(b, user, namespace)) continue;
                result.addAll("ClusterRole".equals(b.roleKind())
                        ? clusterRoles.getOrDefault(b.roleName(), List.of())
                        : roles.getOrDefault(namespace + "/" + b.roleName(), List.of()));
            }
        }
        return result;
    }

    private static boolean bindsUser(Binding binding, UserInfo user, String bindingNamespace) {
        for (JsonNode subject : binding.subjects()) {
            String kind = subject.path("kind").asString("");
            String name = subject.path("name").asString("");
            switch (kind) {
                case "User" -> {
                    if (name.equals(user.name())) return true;
                }
                case "Group" -> {
                    if (user.groups().contains(name)) return true;
                }
                case "ServiceAccount" -> {
                    String ns = subject.path("namespace").asString("");
                    if (ns.isEmpty() && bindingNamespace != null) ns = bindingNamespace;
                    if (("system:serviceaccount:" + ns + ":" + name).equals(user.name())) return true;
                }
                default -> {
                }
            }
        }
        return false;
    }
}
