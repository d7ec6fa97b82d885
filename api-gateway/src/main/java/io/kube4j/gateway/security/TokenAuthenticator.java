package io.kube4j.gateway.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Bearer tokens from a {@link StaticTokenFile}: {@code Authorization: Bearer <token>}, the scheme
 * case-insensitive, as kube-apiserver reads it. An authenticated user also gets the group
 * {@value #AUTHENTICATED_GROUP}, which kube-apiserver adds to every authenticated request.
 *
 * <p>The comparison takes the same time whichever token matches, and whether one does: every
 * known token's SHA-256 digest is compared with {@link MessageDigest#isEqual} and the loop never
 * stops early, so response times reveal nothing about the tokens. Immutable and thread-safe.
 */
public final class TokenAuthenticator implements Authenticator {

    public static final String AUTHENTICATED_GROUP = "system:authenticated";
    static final String BEARER_PROTOCOL_PREFIX = "base64url.bearer.authorization.k8s.io.";

    private record Credential(byte[] digest, UserInfo user) {}

    private final List<Credential> credentials;

    public TokenAuthenticator(Map<String, UserInfo> tokens) {
        List<Credential> list = new ArrayList<>(tokens.size());
        tokens.forEach((token, user) -> list.add(new Credential(digest(token), withAuthenticatedGroup(user))));
        this.credentials = List.copyOf(list);
    }

    @Override
    public Optional<UserInfo> authenticate(HttpServletRequest request) {
        Optional<String> token = bearerToken(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (token.isEmpty() && "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            token = protocolToken(java.util.Collections.list(request.getHeaders("Sec-WebSocket-Protocol")));
        }
        return token.flatMap(this::authenticateToken);
    }

    /**
     * The token a WebSocket client that cannot set headers (a browser) offers as the subprotocol
     * {@code base64url.bearer.authorization.k8s.io.<token, unpadded base64url>}, as kube-apiserver
     * reads it.
     */
    static Optional<String> protocolToken(List<String> protocolHeaders) {
        for (String header : protocolHeaders) {
            for (String protocol : header.split(",")) {
                String p = protocol.strip();
                if (!p.startsWith(BEARER_PROTOCOL_PREFIX)) continue;
                try {
                    String token = new String(java.util.Base64.getUrlDecoder().decode(
                            p.substring(BEARER_PROTOCOL_PREFIX.length())), StandardCharsets.UTF_8);
                    return token.isEmpty() ? Optional.empty() : Optional.of(token);
                } catch (IllegalArgumentException malformed) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** The user a token belongs to; empty for an unknown token. */
    @Override
    public Optional<UserInfo> authenticateToken(String token) {
        byte[] presented = digest(token);
        UserInfo match = null;
        for (Credential credential : credentials) {
            if (MessageDigest.isEqual(credential.digest(), presented)) {
                match = credential.user();
            }
        }
        return Optional.ofNullable(match);
    }

    /** The token of an {@code Authorization} header value of the form {@code Bearer <token>}. */
    static Optional<String> bearerToken(String authorization) {
        if (authorization == null) return Optional.empty();
        String[] parts = authorization.strip().split(" ", 3);
        if (parts.length < 2 || !parts[0].toLowerCase(Locale.ROOT).equals("bearer") || parts[1].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(parts[1]);
    }

    private static UserInfo withAuthenticatedGroup(UserInfo user) {
        if (user.groups().contains(AUTHENTICATED_GROUP)) return user;
        List<String> groups = new ArrayList<>(user.groups());
        groups.add(AUTHENTICATED_GROUP);
        return new UserInfo(user.name(), user.uid(), List.copyOf(groups));
    }

    /** Looked up once: a provider lookup per request costs more than hashing a token. */
    private static final MessageDigest SHA_256;

    static {
        try {
            SHA_256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static byte[] digest(String token) {
        MessageDigest sha256;
        try {
            sha256 = (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException impossible) {
                throw new IllegalStateException("every JDK has SHA-256", impossible);
            }
        }
        return sha256.digest(token.getBytes(StandardCharsets.UTF_8));
    }
}
