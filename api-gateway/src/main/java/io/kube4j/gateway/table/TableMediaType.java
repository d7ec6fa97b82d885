package io.kube4j.gateway.table;

import java.util.Locale;
import java.util.Optional;

/**
 * Content negotiation of tables: {@code kubectl get} sends
 * {@code Accept: application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json}
 * and takes whichever of those it is given. Pure functions.
 */
public final class TableMediaType {

    private TableMediaType() {}

    /**
     * The Table version the client asks for first, {@code v1} or {@code v1beta1}; empty when the
     * Accept header asks for no JSON table (the client then gets the plain list or object).
     */
    public static Optional<String> requestedVersion(String accept) {
        if (accept == null || accept.isBlank()) {
            return Optional.empty();
        }
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String mediaType = parts[0].strip().toLowerCase(Locale.ROOT);
            if (!mediaType.equals("application/json") && !mediaType.equals("*/*") && !mediaType.equals("application/*")) {
                continue;
            }
            String as = null;
            String group = null;
            String version = null;
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].strip().split("=", 2);
                if (kv.length != 2) {
                    continue;
                }
                String value = kv[1].strip();
                switch (kv[0].strip().toLowerCase(Locale.ROOT)) {
                    case "as" -> as = value;
                    case "g" -> group = value;
                    case "v" -> version = value;
                    default -> { }
                }
            }
            if ("Table".equals(as) && "meta.k8s.io".equals(group) && ("v1".equals(version) || "v1beta1".equals(version))) {
                return Optional.of(version);
            }
        }
        return Optional.empty();
    }

    /** The response Content-Type of a table of the given version. */
    public static String contentType(String version) {
        return "application/json;as=Table;v=" + version + ";g=meta.k8s.io";
    }

    /** The table's {@code apiVersion} for a negotiated version: {@code meta.k8s.io/v1} or {@code meta.k8s.io/v1beta1}. */
    public static String apiVersion(String version) {
        return "meta.k8s.io/" + version;
    }
}
