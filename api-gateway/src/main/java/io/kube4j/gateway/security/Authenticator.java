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

    /** An authenticated user: name, uid and groups, as in Kubernetes' user.Info. */
    record UserInfo(String name, String uid, java.util.List<String> groups) {}
}
