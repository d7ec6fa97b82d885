package io.kube4j.gateway.security;

import io.kube4j.gateway.http.ApiResponses;
import io.kube4j.gateway.http.RequestInfo;
import io.kube4j.machinery.errors.ApiException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The first two stages every API request passes: authenticate (who is it — a bearer token, or
 * anonymous where allowed), then authorize (may they). Public paths (health probes, /version) and
 * the actuator pass unchecked. The authenticated user is left in the request attribute
 * {@link #USER_ATTRIBUTE} for the admission stage.
 */
public final class ApiAccessFilter extends OncePerRequestFilter {

    public static final String USER_ATTRIBUTE = "io.kube4j.gateway.user";
    private static final Authenticator.UserInfo ANONYMOUS =
            new Authenticator.UserInfo("system:anonymous", "", List.of("system:unauthenticated"));

    private final List<Authenticator> authenticators;
    private final Authorizer authorizer;
    private final boolean anonymousAllowed;

    public ApiAccessFilter(List<Authenticator> authenticators, Authorizer authorizer, boolean anonymousAllowed) {
        this.authenticators = List.copyOf(authenticators);
        this.authorizer = authorizer;
        this.anonymousAllowed = anonymousAllowed;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI();
        if (PublicPaths.isPublic(path) || path.startsWith("/actuator/") || path.equals("/actuator")) {
            chain.doFilter(request, response);
            return;
        }
        Optional<Authenticator.UserInfo> user = Optional.empty();
        for (Authenticator authenticator : authenticators) {
            user = authenticator.authenticate(request);
            if (user.isPresent()) break;
        }
        boolean presentedCredential = request.getHeader("Authorization") != null;
        if (user.isEmpty() && (presentedCredential || !anonymousAllowed)) {
            ApiResponses.writeStatus(response, ApiException.unauthorized());
            return;
        }
        Authenticator.UserInfo who = user.orElse(ANONYMOUS);
        String denial = authorize(who, request, path);
        if (denial != null) {
            ApiResponses.writeStatus(response, new ApiException(403, "Forbidden", denial, null, null, null, List.of()));
            return;
        }
        request.setAttribute(USER_ATTRIBUTE, who);
        chain.doFilter(request, response);
    }

    private String authorize(Authenticator.UserInfo user, HttpServletRequest request, String path) {
        String[] parts = path.split("/");
        boolean resourcePath = (path.startsWith("/api/") && parts.length >= 4)
                || (path.startsWith("/apis/") && parts.length >= 5);
        if (!resourcePath) {
            return authorizer.deny(user, request.getMethod().toLowerCase(), null, null, null, null, path);
        }
        RequestInfo info;
        try {
            info = RequestInfo.parse(path);
        } catch (ApiException e) {
            return authorizer.deny(user, request.getMethod().toLowerCase(), null, null, null, null, path);
        }
        String resource = info.subresource() == null ? info.resource() : info.resource() + "/" + info.subresource();
        return authorizer.deny(user, verb(request, info), info.group(), resource, info.namespace(), info.name(), path);
    }

    private static boolean isPodStream(RequestInfo info) {
        return info.group().isEmpty() && info.resource().equals("pods") && info.subresource() != null
                && java.util.Set.of("exec", "attach", "portforward").contains(info.subresource());
    }

    static String verb(HttpServletRequest request, RequestInfo info) {
        return switch (request.getMethod()) {
            // Streams into a pod act on it (kube-apiserver checks "create" for their WebSocket GETs too).
            case "GET", "HEAD" -> isPodStream(info) ? "create" : info.watchPath() || io.kube4j.gateway.http.ResourceController.isTrue(request.getParameter("watch")) ? "watch"
                    : info.name() == null ? "list" : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> info.name() == null ? "deletecollection" : "delete";
            default -> request.getMethod().toLowerCase();
        };
    }
}
