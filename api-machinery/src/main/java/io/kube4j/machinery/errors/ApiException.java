package io.kube4j.machinery.errors;

import java.util.List;

/**
 * A failure a client is told about as a Kubernetes {@code Status}: HTTP code, reason, message and
 * optional details. Thrown by the gateway's stages and mapped to the response in one place.
 * The factory methods produce the messages kube-apiserver produces, since users and tools match
 * on them.
 */
public class ApiException extends RuntimeException {

    private final int code;
    private final String reason;
    private final String group;
    private final String kind;
    private final String name;
    private final List<StatusCause> causes;
    private final Integer retryAfterSeconds;

    public ApiException(int code, String reason, String message, String group, String kind, String name,
                        List<StatusCause> causes) {
        this(code, reason, message, group, kind, name, causes, null);
    }

    public ApiException(int code, String reason, String message, String group, String kind, String name,
                        List<StatusCause> causes, Integer retryAfterSeconds) {
        super(message);
        this.code = code;
        this.reason = reason;
        this.group = group;
        this.kind = kind;
        this.name = name;
        this.causes = causes == null ? List.of() : List.copyOf(causes);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int code() { return code; }
    public String reason() { return reason; }
    public String group() { return group; }
    /** The resource (plural) as kube-apiserver puts it in {@code details.kind}. */
    public String kind() { return kind; }
    public String name() { return name; }
    public List<StatusCause> causes() { return causes; }
    public Integer retryAfterSeconds() { return retryAfterSeconds; }

    private static String qualified(String group, String resource) {
        return group == null || group.isEmpty() ? resource : resource + "." + group;
    }

    /** This failure as a Kubernetes {@code Status} object, ready to serialize. */
    public java.util.Map<String, Object> toStatus() {
        java.util.Map<String, Object> status = new java.util.LinkedHashMap<>();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.put("metadata", java.util.Map.of());
        status.put("status", "Failure");
        status.put("message", getMessage());
        status.put("reason", reason);
        java.util.Map<String, Object> details = new java.util.LinkedHashMap<>();
        if (name != null) details.put("name", name);
        if (group != null && !group.isEmpty()) details.put("group", group);
        if (kind != null) details.put("kind", kind);
        if (!causes.isEmpty()) {
            details.put("causes", causes.stream().map(c -> {
                java.util.Map<String, Object> cause = new java.util.LinkedHashMap<>();
                if (c.reason() != null) cause.put("reason", c.reason());
                if (c.message() != null) cause.put("message", c.message());
                if (c.field() != null) cause.put("field", c.field());
                return cause;
            }).toList());
        }
        if (retryAfterSeconds != null) details.put("retryAfterSeconds", retryAfterSeconds);
        if (!details.isEmpty()) status.put("details", details);
        status.put("code", code);
        return status;
    }

    public static ApiException notFound(String group, String resource, String name) {
        return new ApiException(404, "NotFound", qualified(group, resource) + " \"" + name + "\" not found",
                group, resource, name, List.of());
    }

    public static ApiException alreadyExists(String group, String resource, String name) {
        return new ApiException(409, "AlreadyExists", qualified(group, resource) + " \"" + name + "\" already exists",
                group, resource, name, List.of());
    }

    public static ApiException conflict(String group, String resource, String name, String detail) {
        return new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + qualified(group, resource)
                + " \"" + name + "\": " + detail, group, resource, name, List.of());
    }

    /** The 409 of an update whose resourceVersion is stale. */
    public static ApiException staleResourceVersion(String group, String resource, String name) {
        return conflict(group, resource, name,
                "the object has been modified; please apply your changes to the latest version and try again");
    }

    /** 422 Invalid with field causes, rendered as kube-apiserver renders them. */
    public static ApiException invalid(String group, String kind, String name, List<StatusCause> causes) {
        String qualifiedKind = group == null || group.isEmpty() ? kind : kind + "." + group;
        String detail = causes.size() == 1
                ? causes.getFirst().render()
                : "[" + String.join(", ", causes.stream().map(StatusCause::render).toList()) + "]";
        return new ApiException(422, "Invalid", qualifiedKind + " \"" + name + "\" is invalid: " + detail,
                group, kind, name, causes);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "BadRequest", message, null, null, null, List.of());
    }

    public static ApiException gone(String message) {
        return new ApiException(410, "Expired", message, null, null, null, List.of());
    }

    public static ApiException tooLarge(String message) {
        return new ApiException(413, "RequestEntityTooLarge", message, null, null, null, List.of());
    }

    public static ApiException unsupportedMediaType(String contentType) {
        return new ApiException(415, "UnsupportedMediaType",
                "the body of the request was in an unknown format - accepted media types include: "
                        + "application/json, application/yaml, application/vnd.kubernetes.protobuf"
                        + (contentType == null ? "" : " (got " + contentType + ")"),
                null, null, null, List.of());
    }

    public static ApiException methodNotSupported(String group, String resource, String verb) {
        return new ApiException(405, "MethodNotAllowed", verb + " is not supported on resources of kind \""
                + qualified(group, resource) + "\"", group, resource, null, List.of());
    }

    public static ApiException unauthorized() {
        return new ApiException(401, "Unauthorized", "Unauthorized", null, null, null, List.of());
    }

    public static ApiException forbidden(String user, String verb, String group, String resource, String namespace,
                                         String detail) {
        String scope = namespace == null || namespace.isEmpty()
                ? "at the cluster scope" : "in the namespace \"" + namespace + "\"";
        return new ApiException(403, "Forbidden", qualified(group, resource) + " is forbidden: User \"" + user
                + "\" cannot " + verb + " resource \"" + resource + "\" in API group \"" + (group == null ? "" : group)
                + "\" " + scope + (detail == null ? "" : ": " + detail), group, resource, null, List.of());
    }

    public static ApiException internal(String message) {
        return new ApiException(500, "InternalError", "Internal error occurred: " + message, null, null, null, List.of());
    }

    public static ApiException timeout(String message) {
        return new ApiException(504, "Timeout", message, null, null, null, List.of());
    }

    public static ApiException serviceUnavailable(String message) {
        return new ApiException(503, "ServiceUnavailable", message, null, null, null, List.of());
    }
}
