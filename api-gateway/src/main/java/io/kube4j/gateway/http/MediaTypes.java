package io.kube4j.gateway.http;

import java.util.Locale;

/** The media types of the Kubernetes API and how a request's headers choose among them. */
public final class MediaTypes {

    private MediaTypes() {}

    public static final String JSON = "application/json";
    public static final String YAML = "application/yaml";
    public static final String PROTOBUF = "application/vnd.kubernetes.protobuf";
    public static final String JSON_PATCH = "application/json-patch+json";
    public static final String MERGE_PATCH = "application/merge-patch+json";
    public static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
    public static final String APPLY_PATCH_YAML = "application/apply-patch+yaml";

    /** How a response body is rendered. */
    public enum Rendering { JSON, YAML, TABLE }

    /** The rendering the client asked for in {@code Accept}; JSON unless it asks for a Table or YAML first. */
    public static Rendering rendering(String accept) {
        if (accept == null || accept.isBlank()) return Rendering.JSON;
        for (String part : accept.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            if (p.contains("as=table")) return Rendering.TABLE;
            if (p.startsWith("application/json") || p.startsWith("*/*") || p.startsWith("application/*")) return Rendering.JSON;
            if (p.startsWith(YAML)) return Rendering.YAML;
        }
        return Rendering.JSON;
    }

    /** The media type without parameters, lower case; JSON when absent. */
    public static String base(String contentType) {
        if (contentType == null || contentType.isBlank()) return JSON;
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }
}
