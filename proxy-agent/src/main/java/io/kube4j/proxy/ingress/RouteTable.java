package io.kube4j.proxy.ingress;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The routes of every Ingress this controller serves, and the pure choice of one for a request.
 *
 * <p>Host first: the routes of the exact host if any names it, else those of the wildcard hosts
 * that match it ({@code *.example.com} matches {@code a.example.com}, not {@code a.b.example.com}
 * nor {@code example.com}), else those without a host. Among that group's routes the path
 * decides: an Exact path equal to the request's, else the longest Prefix (and
 * ImplementationSpecific) path that is a prefix of it element by element ({@code /foo} matches
 * {@code /foo}, {@code /foo/} and {@code /foo/bar}, not {@code /foobar}); Exact wins over Prefix
 * at the same path. No path matching: the default backend, if an Ingress has one, else none
 * (404).
 *
 * @param routes         every route
 * @param defaultBackend the first served Ingress's spec.defaultBackend (by namespace/name), or null
 */
public record RouteTable(List<IngressRoute> routes, IngressRoute defaultBackend) {

    public RouteTable {
        routes = List.copyOf(routes);
    }

    public static RouteTable empty() {
        return new RouteTable(List.of(), null);
    }

    public Optional<IngressRoute> route(String hostHeader, String rawPath) {
        String host = hostOnly(hostHeader);
        String path = pathOnly(rawPath);
        List<IngressRoute> group = new ArrayList<>();
        for (IngressRoute r : routes) if (r.host().equals(host)) group.add(r);
        if (group.isEmpty()) for (IngressRoute r : routes) if (wildcardMatches(r.host(), host)) group.add(r);
        if (group.isEmpty()) for (IngressRoute r : routes) if (r.host().isEmpty()) group.add(r);
        IngressRoute best = null;
        int bestLength = -1;
        for (IngressRoute r : group) {
            if ("Exact".equals(r.pathType())) {
                if (r.path().equals(path)) return Optional.of(r);
                continue;
            }
            String prefix = trimSlash(r.path());
            if (prefixMatches(prefix, path) && prefix.length() > bestLength) {
                best = r;
                bestLength = prefix.length();
            }
        }
        return Optional.ofNullable(best != null ? best : defaultBackend);
    }

    static boolean prefixMatches(String prefix, String path) {
        if (prefix.isEmpty()) return true;
        return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }

    static boolean wildcardMatches(String pattern, String host) {
        if (!pattern.startsWith("*.")) return false;
        String suffix = pattern.substring(1);
        if (!host.endsWith(suffix)) return false;
        String label = host.substring(0, host.length() - suffix.length());
        return !label.isEmpty() && label.indexOf('.') < 0;
    }

    /** The Host header without its port, lower case; an IPv6 literal keeps its brackets. */
    static String hostOnly(String header) {
        if (header == null) return "";
        String h = header.trim().toLowerCase(Locale.ROOT);
        int colon = h.lastIndexOf(':');
        if (colon > h.lastIndexOf(']')) h = h.substring(0, colon);
        return h;
    }

    /** The path of a request target without its query. */
    static String pathOnly(String raw) {
        if (raw == null || raw.isEmpty()) return "/";
        int q = raw.indexOf('?');
        String p = q < 0 ? raw : raw.substring(0, q);
        return p.isEmpty() ? "/" : p;
    }

    private static String trimSlash(String p) {
        String s = p;
        while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
        return s;
    }
}
