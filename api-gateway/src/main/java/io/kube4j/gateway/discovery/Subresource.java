package io.kube4j.gateway.discovery;

import io.kube4j.machinery.registry.ResourceType;

import java.util.List;

/**
 * What discovery says about one subresource of a resource: the kind its requests and responses
 * carry and the verbs it serves, as kube-apiserver advertises them.
 *
 * @param name    the subresource, e.g. {@code scale}
 * @param group   group of the kind it carries, e.g. {@code autoscaling} for {@code scale}
 * @param version version of that kind
 * @param kind    the kind, e.g. {@code Scale}; the parent's kind for {@code status}
 * @param verbs   the verbs served on it
 */
public record Subresource(String name, String group, String version, String kind, List<String> verbs) {

    private static final List<String> READ_WRITE = List.of("get", "patch", "update");

    /** The subresource {@code name} of {@code parent}, described as kube-apiserver describes it. */
    public static Subresource of(ResourceType parent, String name) {
        String g = parent.group();
        String v = parent.version();
        return switch (name) {
            case "status" -> new Subresource(name, g, v, parent.kind(), READ_WRITE);
            case "scale" -> new Subresource(name, "autoscaling", "v1", "Scale", READ_WRITE);
            case "binding" -> new Subresource(name, "", "v1", "Binding", List.of("create"));
            case "eviction" -> new Subresource(name, "policy", "v1", "Eviction", List.of("create"));
            case "token" -> new Subresource(name, "authentication.k8s.io", "v1", "TokenRequest", List.of("create"));
            case "log" -> new Subresource(name, g, v, parent.kind(), List.of("get"));
            case "exec" -> new Subresource(name, "", "v1", "PodExecOptions", List.of("create", "get"));
            case "attach" -> new Subresource(name, "", "v1", "PodAttachOptions", List.of("create", "get"));
            case "portforward" -> new Subresource(name, "", "v1", "PodPortForwardOptions", List.of("create", "get"));
            case "proxy" -> new Subresource(name, "", "v1", parent.kind() + "ProxyOptions",
                    List.of("create", "delete", "get", "patch", "update"));
            case "finalize" -> new Subresource(name, g, v, parent.kind(), List.of("update"));
            case "ephemeralcontainers", "resize" -> new Subresource(name, g, v, parent.kind(), READ_WRITE);
            default -> new Subresource(name, g, v, parent.kind(), List.of("get"));
        };
    }

    /** The parent's subresources in a stable (alphabetical) order. */
    public static List<Subresource> of(ResourceType parent) {
        return parent.subresources().stream().sorted().map(s -> of(parent, s)).toList();
    }

    /** Whether the subresource is a connect-style stream (logs, exec...) rather than an object. */
    public boolean streaming() {
        return switch (name) {
            case "log", "exec", "attach", "portforward", "proxy" -> true;
            default -> false;
        };
    }
}
