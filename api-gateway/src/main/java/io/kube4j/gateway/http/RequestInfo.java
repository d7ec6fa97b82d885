package io.kube4j.gateway.http;

import io.kube4j.machinery.errors.ApiException;

import java.util.Arrays;
import java.util.List;

/**
 * What a resource request addresses, parsed from its path as kube-apiserver parses it:
 * {@code /api/v1/namespaces/{ns}/{resource}/{name}/{subresource}} and
 * {@code /apis/{group}/{version}/...}. The namespace object itself is
 * {@code /api/v1/namespaces/{name}[/{subresource}]}.
 *
 * @param group       API group, empty for the core group
 * @param version     API version
 * @param namespace   namespace from the path, or null
 * @param resource    plural resource name
 * @param name        object name, or null for collections
 * @param subresource subresource name, or null
 * @param watchPath   whether the path used the deprecated {@code /watch/} segment (served as {@code ?watch=true})
 */
public record RequestInfo(String group, String version, String namespace, String resource, String name,
                          String subresource, boolean watchPath) {

    /** Parses a path below {@code /api} or {@code /apis}; throws 404 for paths that address no resource. */
    public static RequestInfo parse(String path) {
        List<String> parts = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        int i;
        String group;
        String version;
        if (parts.size() >= 2 && parts.get(0).equals("api")) {
            group = "";
            version = parts.get(1);
            i = 2;
        } else if (parts.size() >= 3 && parts.get(0).equals("apis")) {
            group = parts.get(1);
            version = parts.get(2);
            i = 3;
        } else {
            throw notFound(path);
        }
        List<String> rest = parts.subList(i, parts.size());
        boolean watchPath = !rest.isEmpty() && rest.getFirst().equals("watch");
        if (watchPath) rest = rest.subList(1, rest.size());
        // A proxy subresource is followed by a path of the proxied server's own: not part of what is addressed.
        int proxyAt = rest.size() > 5 && rest.get(0).equals("namespaces") && rest.get(4).equals("proxy") ? 4
                : rest.size() > 3 && rest.get(2).equals("proxy") ? 2 : -1;
        if (proxyAt >= 0) rest = rest.subList(0, proxyAt + 1);
        if (rest.isEmpty() || rest.size() > 5) throw notFound(path);
        String namespace = null;
        if (rest.getFirst().equals("namespaces") && rest.size() >= 3
                && !(group.isEmpty() && rest.size() == 3 && isNamespaceSubresource(rest.get(2)))) {
            namespace = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        if (rest.size() > 3) throw notFound(path);
        String resource = rest.get(0);
        String name = rest.size() > 1 ? rest.get(1) : null;
        String subresource = rest.size() > 2 ? rest.get(2) : null;
        return new RequestInfo(group, version, namespace, resource, name, subresource, watchPath);
    }

    private static boolean isNamespaceSubresource(String segment) {
        return segment.equals("status") || segment.equals("finalize");
    }

    private static ApiException notFound(String path) {
        return new ApiException(404, "NotFound", "the server could not find the requested resource",
                null, null, null, List.of());
    }
}
