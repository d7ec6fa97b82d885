package io.kube4j.gateway.security;

import io.kube4j.gateway.security.Authenticator.UserInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.mock.web.MockHttpServletRequest;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TokenAuthenticatorTest {

    private static final String ADMIN_TOKEN = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private final TokenAuthenticator authenticator = new TokenAuthenticator(Map.of(
            ADMIN_TOKEN, new UserInfo("admin", "uid-admin", List.of("system:masters")),
            "short", new UserInfo("bob", "uid-bob", List.of())));

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(nullValues = "NULL", value = {
            "'Bearer 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', admin",
            "'bearer 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', admin",
            "'BEARER 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', admin",
            "'  Bearer short  ',                    bob",
            "'Bearer short trailing',               bob",
            "'Bearer shor',                         NULL",
            "'Bearer shortt',                       NULL",
            "'Bearer  short',                       NULL",
            "'Bearer ',                             NULL",
            "'Bearer',                              NULL",
            "'Basic YWRtaW46YWRtaW4=',              NULL",
            "'short',                               NULL",
            "NULL,                                  NULL",
    })
    void authenticatesBearerTokensOfTheFile(String authorization, String expectedUser) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/namespaces");
        if (authorization != null) request.addHeader("Authorization", authorization);

        Optional<UserInfo> user = authenticator.authenticate(request);

        assertThat(user.map(UserInfo::name).orElse(null)).isEqualTo(expectedUser);
    }

    @Test
    void anAuthenticatedUserKeepsItsGroupsAndJoinsSystemAuthenticated() {
        UserInfo admin = authenticator.authenticateToken(ADMIN_TOKEN).orElseThrow();

        assertThat(admin.uid()).isEqualTo("uid-admin");
        assertThat(admin.groups()).containsExactly("system:masters", "system:authenticated");
    }

    @Test
    void noTokensAuthenticateNobody() {
        assertThat(new TokenAuthenticator(Map.of()).authenticateToken("")).isEmpty();
        assertThat(new TokenAuthenticator(Map.of()).authenticateToken(ADMIN_TOKEN)).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0} {1} -> {2}")
    @CsvSource(nullValues = "NULL", value = {
            "websocket, 'base64url.bearer.authorization.k8s.io.c2hvcnQ, json',   bob",
            "websocket, 'json, base64url.bearer.authorization.k8s.io.c2hvcnQ',   bob",
            "websocket, 'base64url.bearer.authorization.k8s.io.bm9wZQ',          NULL",
            "websocket, 'base64url.bearer.authorization.k8s.io.!!!',             NULL",
            "websocket, 'json',                                                  NULL",
            "NULL,      'base64url.bearer.authorization.k8s.io.c2hvcnQ',         NULL",
    })
    void webSocketClientsMayOfferTheirTokenAsASubprotocol(String upgrade, String protocols, String expectedUser) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/namespaces");
        if (upgrade != null) request.addHeader("Upgrade", upgrade);
        request.addHeader("Sec-WebSocket-Protocol", protocols);
        assertThat(authenticator.authenticate(request).map(UserInfo::name)).isEqualTo(Optional.ofNullable(expectedUser));
    }
}
