package io.kube4j.machinery.errors;

/**
 * One cause of a failure, as in a Kubernetes {@code Status}'s {@code details.causes}.
 *
 * @param reason  machine-readable reason, e.g. {@code FieldValueRequired}, {@code FieldValueInvalid}
 * @param message human-readable message
 * @param field   the JSON path of the offending field, e.g. {@code metadata.name}
 */
public record StatusCause(String reason, String message, String field) {

    public static StatusCause required(String field) {
        return required(field, "");
    }

    /** {@code Required value: detail}, or just {@code Required value} when the detail is empty. */
    public static StatusCause required(String field, String detail) {
        return new StatusCause("FieldValueRequired", withDetail("Required value", detail), field);
    }

    public static StatusCause invalid(String field, Object value, String detail) {
        return new StatusCause("FieldValueInvalid", "Invalid value: " + quote(value) + ": " + detail, field);
    }

    public static StatusCause notSupported(String field, Object value, java.util.Collection<String> supported) {
        return new StatusCause("FieldValueNotSupported", "Unsupported value: " + quote(value)
                + ": supported values: " + String.join(", ", supported.stream().map(StatusCause::goQuote).toList()), field);
    }

    public static StatusCause duplicate(String field, Object value) {
        return new StatusCause("FieldValueDuplicate", "Duplicate value: " + quote(value), field);
    }

    /** {@code Forbidden: detail}, or just {@code Forbidden} when the detail is empty. */
    public static StatusCause forbidden(String field, String detail) {
        return new StatusCause("FieldValueForbidden", withDetail("Forbidden", detail), field);
    }

    /** {@code Too long: may not be more than N bytes} ({@code field.TooLong}); the value is never printed. */
    public static StatusCause tooLong(String field, long maxBytes) {
        return new StatusCause("FieldValueTooLong", "Too long: may not be more than " + maxBytes + " bytes", field);
    }

    /** As Go's {@code field.Error} prints itself: the type, then {@code ": detail"} when there is one. */
    private static String withDetail(String head, String detail) {
        return detail == null || detail.isEmpty() ? head : head + ": " + detail;
    }

    private static String quote(Object value) {
        return value instanceof String s ? goQuote(s) : String.valueOf(value);
    }

    /**
     * Go's {@code %q}: a double-quoted string with Go's escapes, as kube-apiserver prints a bad value
     * ({@code Invalid value: "a\"b"}), so that messages match to the byte.
     */
    public static String goQuote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", c));
                    else b.appendCodePoint(c);
                }
            }
        }
        return b.append('"').toString();
    }

    /** Kubernetes' one-line rendering: {@code field: message}. */
    public String render() {
        return field == null || field.isEmpty() ? message : field + ": " + message;
    }
}
