package io.kube4j.gateway.security;

import java.util.List;

/**
 * Paths anyone may read without credentials: the health probes (and their per-check sub-paths
 * such as {@code /readyz/ping}), which load balancers and the launcher call before they hold a
 * token, and {@code /version}. kube-apiserver grants the same paths to unauthenticated users
 * through its {@code system:public-info-viewer} role.
 */
public final class PublicPaths {

    private static final List<String> PROBES = List.of("/healthz", "/livez", "/readyz");

    private PublicPaths() {}

    /**
     * Whether a request path (without the query) is public. Paths with dot segments, empty
     * segments or path parameters are never public, whatever the servlet container would make of
     * them.
     */
    public static boolean isPublic(String path) {
        if (path == null || path.contains("..") || path.contains("//") || path.contains(";") || path.contains("%")) {
            return false;
        }
        if (path.equals("/version") || path.equals("/version/")) return true;
        // The API browser's page and its static assets; the documents it loads still need a token.
        if (path.equals("/swagger-ui") || path.startsWith("/swagger-ui/") || path.startsWith("/webjars/")) return true;
        for (String probe : PROBES) {
            if (path.equals(probe) || path.startsWith(probe + "/")) return true;
        }
        return false;
    }
}
