package io.kube4j.gateway.openapi;

/** A kind's identity: API group (empty for core), version and kind. */
public record GroupVersionKind(String group, String version, String kind) {

    public GroupVersionKind {
        group = group == null ? "" : group;
    }

    /** Parses an object's {@code apiVersion} ({@code v1}, {@code apps/v1}) and pairs it with {@code kind}. */
    public static GroupVersionKind of(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        return slash < 0
                ? new GroupVersionKind("", apiVersion, kind)
                : new GroupVersionKind(apiVersion.substring(0, slash), apiVersion.substring(slash + 1), kind);
    }
}
