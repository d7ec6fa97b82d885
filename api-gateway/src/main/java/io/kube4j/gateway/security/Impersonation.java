package io.kube4j.gateway.security;

import io.kube4j.machinery.errors.ApiException;
import jakarta.servlet.http.HttpServletRequest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Kubernetes' user impersonation ({@code kubectl --as=jane --as-group=dev}): the headers
 * {@code Impersonate-User}, {@code Impersonate-Group}, {@code Impersonate-Uid} and
 * {@code Impersonate-Extra-*} make the request act as another user, provided the real user may
 * {@code impersonate} each of them (users, groups, serviceaccounts, uids, userextras).
 */
final class Impersonation {

    private static final String USER = "Impersonate-User";
    private static final String GROUP = "Impersonate-Group";
    private static final String UID = "Impersonate-Uid";
    private static final String EXTRA_PREFIX = "impersonate-extra-";
    private static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

    private Impersonation() {
    }

    /** The user the request acts as: {@code user} itself unless it asks to impersonate someone it may. */
    static Authenticator.UserInfo apply(Authenticator.UserInfo user, HttpServletRequest request, Authorizer authorizer) {
        String name = request.getHeader(USER);
        List<String> groups = Collections.list(request.getHeaders(GROUP));
        String uid = request.getHeader(UID);
        List<String> extras = Collections.list(request.getHeaderNames()).stream()
                .filter(h -> h.toLowerCase().startsWith(EXTRA_PREFIX)).toList();
        if (name == null) {
            if (!groups.isEmpty() || uid != null || !extras.isEmpty()) {
                throw new ApiException(400, "BadRequest", "requested impersonation of groups, uid or extras without impersonating a user",
                        null, null, null, List.of());
            }
            return user;
        }
        if (name.startsWith(SERVICE_ACCOUNT_PREFIX)) {
            String[] parts = name.substring(SERVICE_ACCOUNT_PREFIX.length()).split(":", 2);
            if (parts.length != 2) throw new ApiException(400, "BadRequest", "invalid service account name " + name, null, null, null, List.of());
            check(user, authorizer, "", "serviceaccounts", parts[0], parts[1]);
        } else {
            check(user, authorizer, "", "users", null, name);
        }
        for (String group : groups) check(user, authorizer, "", "groups", null, group);
        if (uid != null) check(user, authorizer, "authentication.k8s.io", "uids", null, uid);
        for (String extra : extras) {
            String key = extra.substring(EXTRA_PREFIX.length()).toLowerCase();
            for (String value : Collections.list(request.getHeaders(extra))) {
                check(user, authorizer, "authentication.k8s.io", "userextras/" + key, null, value);
            }
        }
        List<String> effective = new ArrayList<>(groups);
        if (name.startsWith(SERVICE_ACCOUNT_PREFIX) && groups.isEmpty()) {
            effective.add("system:serviceaccounts");
            effective.add("system:serviceaccounts:" + name.substring(SERVICE_ACCOUNT_PREFIX.length()).split(":", 2)[0]);
        }
        if (!name.equals("system:anonymous") && !effective.contains(TokenAuthenticator.AUTHENTICATED_GROUP)) {
            effective.add(TokenAuthenticator.AUTHENTICATED_GROUP);
        }
        return new Authenticator.UserInfo(name, uid == null ? "" : uid, List.copyOf(effective));
    }

    private static void check(Authenticator.UserInfo user, Authorizer authorizer, String group, String resource, String namespace, String name) {
        String reason = authorizer.deny(user, "impersonate", group, resource, namespace, name, null);
        if (reason != null) {
            throw ApiAccessFilter.forbidden(qualified(group, resource) + " \"" + name + "\" is forbidden: " + reason, group, resource, name);
        }
    }

    /** {@code deployments.apps} for a resource of a named group, {@code pods} for the core group, without a subresource. */
    static String qualified(String group, String resource) {
        int slash = resource.indexOf('/');
        String base = slash < 0 ? resource : resource.substring(0, slash);
        return group == null || group.isEmpty() ? base : base + "." + group;
    }
}
