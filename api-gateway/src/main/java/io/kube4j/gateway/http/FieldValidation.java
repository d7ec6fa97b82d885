package io.kube4j.gateway.http;

import io.kube4j.gateway.openapi.GroupVersionKind;
import io.kube4j.gateway.openapi.UnknownFieldDetector;
import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.registry.ResourceType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code fieldValidation} of a write, as kube-apiserver applies it: fields the kind's schema
 * does not know are dropped from the object; {@code Warn} (the default) reports each in a
 * warning, {@code Strict} refuses the request with 400, {@code Ignore} says nothing.
 */
public final class FieldValidation {

    private static final Pattern SEGMENT = Pattern.compile("\\.([^.\\[]+)|\\[(\\d+)]");

    private final UnknownFieldDetector detector;

    public FieldValidation(UnknownFieldDetector detector) {
        this.detector = detector;
    }

    /**
     * Drops the object's unknown fields in place.
     *
     * @param mode the request's fieldValidation parameter, or null
     * @return the warnings to send (empty unless {@code Warn})
     */
    public List<String> apply(ResourceType type, ObjectNode object, String mode) {
        String m = mode == null || mode.isEmpty() ? "Warn" : mode;
        if (!m.equals("Warn") && !m.equals("Strict") && !m.equals("Ignore")) {
            throw ApiException.badRequest("fieldValidation: Unsupported value: \"" + mode
                    + "\": supported values: \"Ignore\", \"Strict\", \"Warn\"");
        }
        List<String> unknown = detector.unknownFields(new GroupVersionKind(type.group(), type.version(), type.kind()), object);
        if (unknown.isEmpty()) return List.of();
        if (m.equals("Strict")) {
            // kube-apiserver reports a strict decoding failure like any body that does not decode into the kind.
            throw ApiException.badRequest(type.kind() + " in version \"" + type.version() + "\" cannot be handled as a "
                    + type.kind() + ": " + UnknownFieldDetector.strictDecodingError(unknown));
        }
        List<String> warnings = new ArrayList<>();
        for (String path : unknown) {
            remove(object, path);
            if (m.equals("Warn")) warnings.add(UnknownFieldDetector.describe(path));
        }
        return warnings;
    }

    /** Removes the field at a path such as {@code .spec.template.spec.containers[0].imagePullPolcy}. */
    static void remove(ObjectNode object, String path) {
        Matcher matcher = SEGMENT.matcher(path);
        List<String> segments = new ArrayList<>();
        while (matcher.find()) segments.add(matcher.group(1) != null ? matcher.group(1) : "[" + matcher.group(2));
        JsonNode node = object;
        for (int i = 0; i < segments.size() - 1 && node != null; i++) {
            String segment = segments.get(i);
            node = segment.startsWith("[") ? node.get(Integer.parseInt(segment.substring(1))) : node.get(segment);
        }
        String last = segments.isEmpty() ? null : segments.getLast();
        if (node instanceof ObjectNode parent && last != null && !last.startsWith("[")) parent.remove(last);
        else if (node instanceof ArrayNode array && last != null && last.startsWith("[")) array.remove(Integer.parseInt(last.substring(1)));
    }

    /** Adds the warnings as {@code Warning: 299 - "..."} headers, as kube-apiserver sends them. */
    public static void addWarnings(jakarta.servlet.http.HttpServletResponse response, List<String> warnings) {
        for (String warning : warnings) {
            response.addHeader("Warning", "299 - \"" + warning.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        }
    }
}
