package io.kube4j.gateway.http;

import io.kube4j.gateway.openapi.GroupVersionKind;
import io.kube4j.gateway.openapi.UnknownFieldDetector;
import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.Json;
import io.kube4j.machinery.patch.StrategicMergePatch;
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

    /**
     * {@link #apply} for the object a PATCH produced. kube-apiserver words a Strict refusal of a
     * patch differently from a create's: 422 Invalid on the field {@code patch}, whose value is the
     * strategic merge patch as Go prints the decoded map, or the patched object's JSON for the
     * JSON patch types. Server-side apply is refused as a create is.
     */
    public List<String> applyToPatched(ResourceType type, ObjectNode patched, String mode, byte[] patch,
                                       String contentType) {
        try {
            return apply(type, patched, mode);
        } catch (ApiException e) {
            if (e.code() != 400 || !"Strict".equals(mode)) throw e;
            String value = switch (contentType) {
                case MediaTypes.STRATEGIC_MERGE_PATCH -> StrategicMergePatch.printed(Json.readTree(patch, false));
                case MediaTypes.JSON_PATCH, MediaTypes.MERGE_PATCH, MediaTypes.JSON -> Json.writeString(patched);
                default -> null;
            };
            if (value == null) throw e;
            List<String> unknown = detector.unknownFields(new GroupVersionKind(type.group(), type.version(), type.kind()), patched);
            // StatusCause quotes the value; its inside is escaped as Go's %q escapes it.
            throw ApiException.invalid("", "", "", List.of(StatusCause.invalid("patch", goEscaped(value),
                    UnknownFieldDetector.strictDecodingError(unknown))));
        }
    }

    /** The inside of Go's {@code %q} of a string: backslash escapes for quotes, backslashes and control characters. */
    static String goEscaped(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) out.append(String.format("\\x%02x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.toString();
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
