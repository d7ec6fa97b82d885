package io.kube4j.gateway.security;

import io.kube4j.machinery.object.KubeObject;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Bearer tokens that {@link ServiceAccountTokens} issued: the user
 * {@code system:serviceaccount:NS:NAME} with the account's uid and the groups
 * {@code system:serviceaccounts}, {@code system:serviceaccounts:NS} and
 * {@code system:authenticated}, as kube-apiserver authenticates them. A token whose account was
 * deleted, or deleted and created again (another uid), is refused.
 *
 * <p>Each authentication reads the account (one store read); thread-safe.
 */
public final class ServiceAccountTokenAuthenticator implements Authenticator {

    public static final String ALL_GROUP = "system:serviceaccounts";

    private final ServiceAccountTokens tokens;
    private final BiFunction<String, String, Optional<ObjectNode>> accounts;
    private final Clock clock;

    /**
     * @param accounts the ServiceAccount {@code (namespace, name)}, empty when it does not exist
     */
    public ServiceAccountTokenAuthenticator(ServiceAccountTokens tokens,
                                            BiFunction<String, String, Optional<ObjectNode>> accounts, Clock clock) {
        this.tokens = tokens;
        this.accounts = accounts;
        this.clock = clock;
    }

    @Override
    public Optional<UserInfo> authenticate(HttpServletRequest request) {
        Optional<String> token = TokenAuthenticator.bearerToken(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (token.isEmpty() && "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            token = TokenAuthenticator.protocolToken(java.util.Collections.list(request.getHeaders("Sec-WebSocket-Protocol")));
        }
        return token.flatMap(this::authenticateToken);
    }

    @Override
    public Optional<UserInfo> authenticateToken(String token) {
        // a static token is no JWT: spare it the signature check
        if (dots(token) != 2) return Optional.empty();
        return tokens.verify(token, clock.instant()).flatMap(claims -> {
            Optional<ObjectNode> account = accounts.apply(claims.namespace(), claims.name());
            if (account.isEmpty() || KubeObject.isDeleting(account.get())) return Optional.empty();
            String uid = KubeObject.uid(account.get());
            if (!claims.uid().isEmpty() && !claims.uid().equals(uid)) return Optional.empty();
            return Optional.of(user(claims.namespace(), claims.name(), uid));
        });
    }

    private static int dots(String token) {
        int dots = 0;
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) == '.') dots++;
        }
        return dots;
    }

    /** The user a ServiceAccount authenticates as. */
    public static UserInfo user(String namespace, String name, String uid) {
        return new UserInfo(ServiceAccountTokens.SUBJECT_PREFIX + namespace + ":" + name, uid,
                List.of(ALL_GROUP, ALL_GROUP + ":" + namespace, TokenAuthenticator.AUTHENTICATED_GROUP));
    }
}
