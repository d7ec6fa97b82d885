package io.kube4j.gateway.rbac;

import tools.jackson.databind.JsonNode;

import java.util.List;

/**
 * One PolicyRule of a Role or ClusterRole, with Kubernetes RBAC's matching: {@code *} matches any
 * verb, group or resource; a resource {@code pods/log} names a subresource and {@code *}/{@code
 * pods/*}/{@code * /scale} match accordingly; resourceNames narrow a rule to named objects (so such
 * a rule never allows list, watch or create without a name); nonResourceURLs match a path exactly or,
 * ending in {@code *}, by prefix. Immutable and pure.
 */
public record RbacRule(List<String> verbs, List<String> apiGroups, List<String> resources, List<String> resourceNames,
                       List<String> nonResourceURLs) {

    public RbacRule {
        verbs = List.copyOf(verbs);
        apiGroups = List.copyOf(apiGroups);
        resources = List.copyOf(resources);
        resourceNames = List.copyOf(resourceNames);
        nonResourceURLs = List.copyOf(nonResourceURLs);
    }

    /** The rule as written in a role's {@code rules[]}. */
    public static RbacRule of(JsonNode rule) {
        return new RbacRule(strings(rule.path("verbs")), strings(rule.path("apiGroups")), strings(rule.path("resources")),
                strings(rule.path("resourceNames")), strings(rule.path("nonResourceURLs")));
    }

    private static List<String> strings(JsonNode array) {
        return array.isArray() ? array.valueStream().map(n -> n.asString("")).toList() : List.of();
    }

    /**
     * @param resource the plural resource with {@code /subresource} when one is addressed
     * @param name     the object's name, or null for collection requests
     */
    public boolean allowsResource(String verb, String group, String resource, String name) {
        if (!nonResourceURLs.isEmpty() && resources.isEmpty()) return false;
        if (!matches(verbs, verb) || !matches(apiGroups, group) || !resourceMatches(resource)) return false;
        return resourceNames.isEmpty() || (name != null && resourceNames.contains(name));
    }

    private boolean resourceMatches(String requested) {
        int slash = requested.indexOf('/');
        for (String r : resources) {
            if (r.equals("*") || r.equals(requested)) return true;
            if (slash > 0) {
                String base = requested.substring(0, slash);
                String sub = requested.substring(slash + 1);
                if (r.equals(base + "/*") || r.equals("*/" + sub)) return true;
            }
        }
        return false;
    }

    public boolean allowsPath(String verb, String path) {
        if (!matches(verbs, verb)) return false;
        for (String url : nonResourceURLs) {
            if (url.equals("*") || url.equals(path)) return true;
            if (url.endsWith("*") && path.startsWith(url.substring(0, url.length() - 1))) return true;
        }
        return false;
    }

    private static boolean matches(List<String> allowed, String value) {
        return allowed.contains("*") || allowed.contains(value);
    }
}
