package io.kube4j.gateway.security;

import jakarta.servlet.http.HttpServletRequest;

import java.util.Optional;

/**
 * The authenticate stage: who sent a request. Returns empty when the request carries no
 * credential this authenticator understands or the credential is wrong; the gateway then
 * answers 401. Thread-safe.
 */
public interface Authenticator {

    Optional<UserInfo> authenticate(HttpServletRequest request);

    /**
     * The user a bearer token belongs to, for a TokenReview; empty when this authenticator does
     * not know the token (or reads no tokens).
     */
    default Optional<UserInfo> authenticateToken(String token) {
        return Optional.empty();
    }

    /** An authenticated user: name, uid and groups, as in Kubernetes' user.Info. */
    record UserInfo(String name, String uid, java.util.List<String> groups) {}
}
