package io.kube4j.gateway.security;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import io.kube4j.machinery.object.Json;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Issues and verifies ServiceAccount tokens: JWTs signed with RS256, with the claims
 * kube-apiserver puts in a bound token ({@code iss}, {@code sub}
 * {@code system:serviceaccount:NS:NAME}, {@code aud}, {@code exp}, {@code iat}, {@code nbf},
 * {@code jti}, and {@code kubernetes.io} naming the namespace and the account with its uid).
 *
 * <p>{@link #verify} checks only what the token itself proves (signature, issuer, audience, time);
 * that the account still exists with the same uid is the authenticator's part. Immutable and
 * thread-safe.
 */
public final class ServiceAccountTokens {

    /** kube-apiserver's default issuer and audience ({@code --service-account-issuer}). */
    public static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
    public static final String SUBJECT_PREFIX = "system:serviceaccount:";

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final String HEADER = B64.encodeToString(
            "{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

    private final PrivateKey signingKey;
    private final PublicKey verifyingKey;

    public ServiceAccountTokens(PrivateKey signingKey) {
        this.signingKey = signingKey;
        this.verifyingKey = publicKeyOf(signingKey);
    }

    /** A fresh RSA key for tokens, for a gateway that keeps no files (its tokens end with it). */
    public static PrivateKey newKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            return pair.getPrivate();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has RSA", e);
        }
    }

    /** The account a verified token names. */
    public record Claims(String namespace, String name, String uid, Instant expires) {}

    /**
     * A token for the account {@code namespace/name} (with {@code uid}) valid from {@code now} for
     * {@code expirationSeconds}, for {@code audiences} (the issuer when empty).
     */
    public String issue(String namespace, String name, String uid, List<String> audiences, Instant now,
                        long expirationSeconds) {
        ObjectNode claims = Json.object();
        ArrayNode aud = claims.putArray("aud");
        (audiences.isEmpty() ? List.of(ISSUER) : audiences).forEach(aud::add);
        claims.put("exp", now.getEpochSecond() + expirationSeconds);
        claims.put("iat", now.getEpochSecond());
        claims.put("iss", ISSUER);
        claims.put("jti", UUID.randomUUID().toString());
        ObjectNode k8s = claims.putObject("kubernetes.io");
        k8s.put("namespace", namespace);
        ObjectNode account = k8s.putObject("serviceaccount");
        account.put("name", name);
        account.put("uid", uid);
        claims.put("nbf", now.getEpochSecond());
        claims.put("sub", SUBJECT_PREFIX + namespace + ":" + name);
        String signed = HEADER + "." + B64.encodeToString(Json.write(claims));
        return signed + "." + B64.encodeToString(sign(signed));
    }

    /**
     * The claims of a token this gateway issued that is valid at {@code now} for the gateway's own
     * audience; empty for anything else (not a JWT, another signer, expired, another audience).
     */
    public Optional<Claims> verify(String token, Instant now) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) return Optional.empty();
        try {
            JsonNode header = Json.parseObject(B64D.decode(parts[0]));
            if (!"RS256".equals(header.path("alg").asString(""))) return Optional.empty();
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(verifyingKey);
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!verifier.verify(B64D.decode(parts[2]))) return Optional.empty();
            JsonNode claims = Json.parseObject(B64D.decode(parts[1]));
            if (!ISSUER.equals(claims.path("iss").asString(""))) return Optional.empty();
            if (!audienceIncludesIssuer(claims.path("aud"))) return Optional.empty();
            long seconds = now.getEpochSecond();
            if (!claims.path("exp").isNumber() || claims.path("exp").asLong() <= seconds) return Optional.empty();
            if (claims.path("nbf").isNumber() && claims.path("nbf").asLong() > seconds + 60) return Optional.empty();
            JsonNode k8s = claims.path("kubernetes.io");
            String namespace = k8s.path("namespace").asString("");
            String name = k8s.path("serviceaccount").path("name").asString("");
            String uid = k8s.path("serviceaccount").path("uid").asString("");
            if (namespace.isEmpty() || name.isEmpty()
                    || !claims.path("sub").asString("").equals(SUBJECT_PREFIX + namespace + ":" + name)) {
                return Optional.empty();
            }
            return Optional.of(new Claims(namespace, name, uid, Instant.ofEpochSecond(claims.path("exp").asLong())));
        } catch (RuntimeException | GeneralSecurityException e) {
            // malformed base64, JSON or signature: not a token of ours
            return Optional.empty();
        }
    }

    private static boolean audienceIncludesIssuer(JsonNode aud) {
        if (aud.isString()) return aud.asString().equals(ISSUER);
        for (JsonNode a : aud) {
            if (a.isString() && a.asString().equals(ISSUER)) return true;
        }
        return false;
    }

    private byte[] sign(String content) {
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(signingKey);
            signer.update(content.getBytes(StandardCharsets.US_ASCII));
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    private static PublicKey publicKeyOf(PrivateKey key) {
        if (!(key instanceof RSAPrivateCrtKey rsa)) {
            throw new IllegalArgumentException("the ServiceAccount token key must be an RSA key, not " + key.getAlgorithm());
        }
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive the public key", e);
        }
    }
}
