package io.kube4j.gateway.security;

import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.object.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ServiceAccount tokens: what a TokenRequest answers, which tokens verify, and who the
 * authenticator says a token's bearer is (the account looked up in a map instead of the store).
 */
class ServiceAccountTokensTest {

    private static final PrivateKey KEY = ServiceAccountTokens.newKey();
    private static final Instant NOW = Instant.parse("2026-11-26T03:00:00Z");
    private static final String UID = "0b5c1e9e-7d57-4a8f-9a43-1f0d9b1f6a11";

    private final ServiceAccountTokens tokens = new ServiceAccountTokens(KEY);
    private final TokenRequests requests = new TokenRequests(tokens, Clock.fixed(NOW, ZoneOffset.UTC));

    private static ObjectNode account(String namespace, String name, String uid) {
        ObjectNode sa = Json.object();
        sa.put("apiVersion", "v1").put("kind", "ServiceAccount");
        sa.putObject("metadata").put("name", name).put("namespace", namespace).put("uid", uid);
        return sa;
    }

    private static ObjectNode tokenRequest(String spec) {
        return Json.parseObject(("{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":" + spec + "}")
                .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aTokenRequestIsAnsweredWithASignedTokenAndItsExpiration() {
        ObjectNode answer = requests.answer(account("team", "builder", UID), tokenRequest("{}"));

        assertThat(answer.path("kind").asString()).isEqualTo("TokenRequest");
        assertThat(answer.path("apiVersion").asString()).isEqualTo("authentication.k8s.io/v1");
        assertThat(answer.path("spec").path("expirationSeconds").asLong()).isEqualTo(3600);
        assertThat(answer.path("status").path("expirationTimestamp").asString()).isEqualTo("2026-11-26T04:00:00Z");
        String token = answer.path("status").path("token").asString();
        JsonNode claims = Json.parseObject(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertThat(claims.path("sub").asString()).isEqualTo("system:serviceaccount:team:builder");
        assertThat(claims.path("iss").asString()).isEqualTo(ServiceAccountTokens.ISSUER);
        assertThat(claims.path("exp").asLong()).isEqualTo(NOW.getEpochSecond() + 3600);
        assertThat(claims.path("kubernetes.io").path("serviceaccount").path("uid").asString()).isEqualTo(UID);
        assertThat(tokens.verify(token, NOW)).contains(
                new ServiceAccountTokens.Claims("team", "builder", UID, NOW.plusSeconds(3600)));
    }

    record Expiration(String spec, Long expected, String refusal) {}

    static Stream<Expiration> expirations() {
        return Stream.of(
                new Expiration("{\"expirationSeconds\":600}", 600L, null),
                new Expiration("{\"expirationSeconds\":86400}", 86400L, null),
                new Expiration("{\"expirationSeconds\":null}", 3600L, null),
                new Expiration("{\"expirationSeconds\":599}", null, "may not specify a duration less than 10 minutes"),
                new Expiration("{\"expirationSeconds\":4294967297}", null, "may not specify a duration larger than 2^32 seconds"),
                new Expiration("{\"boundObjectRef\":{\"kind\":\"Pod\",\"name\":\"p\"}}", null, "not supported"));
    }

    @ParameterizedTest
    @MethodSource("expirations")
    void theRequestedExpirationIsHonouredWithinKubernetesLimits(Expiration c) {
        if (c.refusal() == null) {
            ObjectNode answer = requests.answer(account("team", "builder", UID), tokenRequest(c.spec()));
            assertThat(answer.path("spec").path("expirationSeconds").asLong()).isEqualTo(c.expected());
            String token = answer.path("status").path("token").asString();
            assertThat(tokens.verify(token, NOW.plusSeconds(c.expected() - 1))).isPresent();
            assertThat(tokens.verify(token, NOW.plusSeconds(c.expected()))).isEmpty();
        } else {
            assertThatThrownBy(() -> requests.answer(account("team", "builder", UID), tokenRequest(c.spec())))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.code()).isEqualTo(422);
                        assertThat(e.getMessage()).contains(c.refusal());
                    });
        }
    }

    static Stream<Arguments> foreignTokens() {
        String good = new ServiceAccountTokens(KEY).issue("team", "builder", UID, List.of(), NOW, 3600);
        String[] parts = good.split("\\.");
        UnaryOperator<String> reclaim = claims -> parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        return Stream.of(
                Arguments.of("another signer", new ServiceAccountTokens(ServiceAccountTokens.newKey())
                        .issue("team", "builder", UID, List.of(), NOW, 3600)),
                Arguments.of("claims changed after signing", reclaim.apply(
                        "{\"iss\":\"" + ServiceAccountTokens.ISSUER + "\",\"sub\":\"system:serviceaccount:kube-system:admin\"}")),
                Arguments.of("another audience", new ServiceAccountTokens(KEY)
                        .issue("team", "builder", UID, List.of("vault"), NOW, 3600)),
                Arguments.of("not a JWT", "0123456789abcdef"),
                Arguments.of("garbage in three parts", "a.b.c"),
                Arguments.of("no signature", parts[0] + "." + parts[1] + "."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("foreignTokens")
    void tokensThisGatewayDidNotIssueDoNotVerify(String name, String token) {
        assertThat(tokens.verify(token, NOW)).isEmpty();
    }

    record Bearer(String name, Map<String, ObjectNode> accounts, Optional<Authenticator.UserInfo> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Bearer> bearers() {
        return Stream.of(
                new Bearer("the account exists", Map.of("team/builder", account("team", "builder", UID)),
                        Optional.of(new Authenticator.UserInfo("system:serviceaccount:team:builder", UID,
                                List.of("system:serviceaccounts", "system:serviceaccounts:team", "system:authenticated")))),
                new Bearer("the account was deleted", Map.of(), Optional.empty()),
                new Bearer("the account was deleted and created again", Map.of("team/builder",
                        account("team", "builder", "6f1c0f4e-3c5a-4f2e-8f7e-5e8f4b1f2a3c")), Optional.empty()));
    }

    @ParameterizedTest
    @MethodSource("bearers")
    void theBearerIsTheServiceAccountWhileItExists(Bearer c) {
        String token = tokens.issue("team", "builder", UID, List.of(), NOW, 3600);
        var authenticator = new ServiceAccountTokenAuthenticator(tokens,
                (namespace, name) -> Optional.ofNullable(c.accounts().get(namespace + "/" + name)),
                Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC));

        assertThat(authenticator.authenticateToken(token)).isEqualTo(c.expected());
    }
}
