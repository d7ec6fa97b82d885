package io.kube4j.gateway.kubelet;

import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.object.Json;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.List;

/**
 * What the client sees when a node's agent refuses a stream or cannot be reached, as kube-apiserver
 * reports it: the agent's status code with its reason, and its answer's text as the message (a
 * Status the agent sent is passed on as it is). Pure functions.
 */
public final class KubeletErrors {

    private KubeletErrors() {
    }

    /** The error for a non-success answer of the agent: its code, and its body as the message. */
    public static ApiException fromResponse(int code, String body) {
        String text = body == null ? "" : body.strip();
        if (text.startsWith("{")) {
            try {
                JsonNode status = Json.MAPPER.readTree(text);
                if ("Status".equals(status.path("kind").asString("")) && status.hasNonNull("message")) {
                    int statusCode = status.path("code").asInt(code);
                    String reason = status.path("reason").asString("");
                    return new ApiException(statusCode, reason.isEmpty() ? reason(statusCode) : reason,
                            status.get("message").asString(), null, null, null, List.of());
                }
            } catch (RuntimeException notJson) {
                // An ordinary text that happens to start with a brace.
            }
        }
        int mapped = code >= 400 && code <= 599 ? code : 500;
        return new ApiException(mapped, reason(mapped), text.isEmpty() ? defaultMessage(mapped) : text,
                null, null, null, List.of());
    }

    /** The error when the agent cannot be reached at all. */
    public static ApiException unreachable(KubeletEndpoint endpoint, IOException cause) {
        String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return ApiException.serviceUnavailable("error dialing backend: dial tcp " + endpoint.authority() + ": " + detail);
    }

    static String reason(int code) {
        return switch (code) {
            case 400 -> "BadRequest";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 415 -> "UnsupportedMediaType";
            case 422 -> "Invalid";
            case 429 -> "TooManyRequests";
            case 503 -> "ServiceUnavailable";
            case 504 -> "Timeout";
            default -> "InternalError";
        };
    }

    private static String defaultMessage(int code) {
        return switch (code) {
            case 400 -> "the server rejected our request for an unknown reason";
            case 401 -> "the server has asked for the client to provide credentials";
            case 403 -> "the server does not allow access to the requested resource";
            case 404 -> "the server could not find the requested resource";
            case 503 -> "the server is currently unable to handle the request";
            case 504 -> "the server was unable to return a response in the time allotted, but may still be processing the request";
            default -> "an error on the server has prevented the request from succeeding";
        };
    }
}
