package io.kube4j.gateway.http;

import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.object.Json;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.OutputStream;

/** Writes API responses: objects in the rendering the client asked for, and Status errors. */
public final class ApiResponses {

    private ApiResponses() {}

    public static void write(HttpServletResponse response, int status, JsonNode body, MediaTypes.Rendering rendering)
            throws IOException {
        byte[] bytes;
        if (rendering == MediaTypes.Rendering.YAML) {
            bytes = Json.YAML.writeValueAsBytes(body);
            response.setContentType(MediaTypes.YAML);
        } else {
            bytes = Json.write(body);
            response.setContentType(MediaTypes.JSON);
        }
        send(response, status, bytes);
    }

    /** Writes a body that is already JSON, e.g. the bytes an object was just stored as. */
    public static void writeJson(HttpServletResponse response, int status, byte[] json) throws IOException {
        response.setContentType(MediaTypes.JSON);
        send(response, status, json);
    }

    private static void send(HttpServletResponse response, int status, byte[] bytes) throws IOException {
        response.setStatus(status);
        response.setContentLength(bytes.length);
        try (OutputStream out = response.getOutputStream()) {
            out.write(bytes);
        }
    }

    public static void writeStatus(HttpServletResponse response, ApiException error) throws IOException {
        if (response.isCommitted()) return;
        response.resetBuffer();
        if (error.retryAfterSeconds() != null) response.setHeader("Retry-After", error.retryAfterSeconds().toString());
        byte[] bytes = Json.MAPPER.writeValueAsBytes(error.toStatus());
        response.setStatus(error.code());
        response.setContentType(MediaTypes.JSON);
        response.setContentLength(bytes.length);
        try (OutputStream out = response.getOutputStream()) {
            out.write(bytes);
        }
    }
}
