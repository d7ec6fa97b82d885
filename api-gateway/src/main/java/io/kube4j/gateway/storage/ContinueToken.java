package io.kube4j.gateway.storage;

import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.object.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code continue} token of a paginated list: the revision the first page was read at
 * and the key to resume from, so every page is read at the same revision.
 *
 * @param revision the revision of the first page
 * @param startKey the first key of the next page (inclusive)
 */
public record ContinueToken(long revision, String startKey) {

    public String encode() {
        ObjectNode json = Json.object();
        json.put("v", "meta.k8s.io/v1");
        json.put("rv", revision);
        json.put("start", startKey);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(json));
    }

    /** Decodes a client's token; a malformed one is a 400, as kube-apiserver answers. */
    public static ContinueToken decode(String token, String keyPrefix) {
        try {
            JsonNode json = Json.MAPPER.readTree(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
            long revision = json.path("rv").asLong(0);
            String start = json.path("start").asString("");
            if (revision <= 0 || !start.startsWith(keyPrefix)) throw new IllegalArgumentException("foreign token");
            return new ContinueToken(revision, start);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("continue key is not valid: " + token);
        }
    }
}
