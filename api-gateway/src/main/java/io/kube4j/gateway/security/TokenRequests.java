package io.kube4j.gateway.security;

import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.Json;
import io.kube4j.machinery.object.KubeObject;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code serviceaccounts/{name}/token} subresource ({@code kubectl create token}): answers a
 * TokenRequest (authentication.k8s.io/v1) for an existing ServiceAccount with a token signed by
 * {@link ServiceAccountTokens} and its expiration, as kube-apiserver does. Pure apart from the
 * clock and the signature; thread-safe.
 */
public final class TokenRequests {

    /** kube-apiserver's default when the request names no expiration. */
    static final long DEFAULT_EXPIRATION_SECONDS = 3600;
    static final long MIN_EXPIRATION_SECONDS = 600;
    static final long MAX_EXPIRATION_SECONDS = 1L << 32;

    private final ServiceAccountTokens tokens;
    private final Clock clock;

    public TokenRequests(ServiceAccountTokens tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    /**
     * The TokenRequest answered for {@code account} (the stored ServiceAccount).
     *
     * @throws ApiException 422 for an expiration out of range or a bound object this gateway does
     *                      not bind tokens to, 400 for a body of another kind
     */
    public ObjectNode answer(ObjectNode account, ObjectNode request) {
        String kind = KubeObject.text(request, "kind");
        if (kind != null && !kind.isEmpty() && !kind.equals("TokenRequest")) {
            throw ApiException.badRequest("the body of the request must be a TokenRequest, not " + kind);
        }
        String namespace = KubeObject.namespace(account);
        String name = KubeObject.name(account);
        JsonNode spec = request.path("spec");
        List<StatusCause> causes = new ArrayList<>();
        long expiration = DEFAULT_EXPIRATION_SECONDS;
        JsonNode requested = spec.get("expirationSeconds");
        if (requested != null && !requested.isNull()) {
            if (!requested.canConvertToLong()) {
                causes.add(new StatusCause("FieldValueInvalid", "Invalid value: " + requested + ": must be an integer",
                        "spec.expirationSeconds"));
            } else {
                expiration = requested.asLong();
                if (expiration < MIN_EXPIRATION_SECONDS) {
                    causes.add(new StatusCause("FieldValueInvalid", "Invalid value: " + expiration
                            + ": may not specify a duration less than 10 minutes", "spec.expirationSeconds"));
                } else if (expiration > MAX_EXPIRATION_SECONDS) {
                    causes.add(new StatusCause("FieldValueInvalid", "Invalid value: " + expiration
                            + ": may not specify a duration larger than 2^32 seconds", "spec.expirationSeconds"));
                }
            }
        }
        JsonNode bound = spec.get("boundObjectRef");
        if (bound != null && !bound.isNull() && !bound.isEmpty()) {
            causes.add(new StatusCause("FieldValueNotSupported", "Unsupported value: \"" + bound.path("kind").asString("")
                    + "\": tokens bound to an object are not supported", "spec.boundObjectRef.kind"));
        }
        List<String> audiences = new ArrayList<>();
        for (JsonNode audience : spec.path("audiences")) audiences.add(audience.asString());
        if (!causes.isEmpty()) {
            throw ApiException.invalid("authentication.k8s.io", "TokenRequest", name, causes);
        }
        Instant now = clock.instant();
        String token = tokens.issue(namespace, name, KubeObject.uid(account), audiences, now, expiration);

        ObjectNode answer = Json.object();
        answer.put("kind", "TokenRequest");
        answer.put("apiVersion", "authentication.k8s.io/v1");
        ObjectNode metadata = answer.putObject("metadata");
        metadata.put("name", name);
        metadata.put("namespace", namespace);
        metadata.put("creationTimestamp", KubeObject.timestamp(now));
        ObjectNode answeredSpec = answer.putObject("spec");
        ArrayNode aud = answeredSpec.putArray("audiences");
        (audiences.isEmpty() ? List.of(ServiceAccountTokens.ISSUER) : audiences).forEach(aud::add);
        answeredSpec.put("expirationSeconds", expiration);
        answeredSpec.putNull("boundObjectRef");
        ObjectNode status = answer.putObject("status");
        status.put("token", token);
        status.put("expirationTimestamp", KubeObject.timestamp(now.plusSeconds(expiration)));
        return answer;
    }
}
