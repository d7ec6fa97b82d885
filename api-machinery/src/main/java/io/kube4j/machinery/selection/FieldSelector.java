package io.kube4j.machinery.selection;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.kube4j.machinery.errors.ApiException;

/**
 * A field selector ({@code ?fieldSelector=}): comma-separated terms {@code field=value}, {@code field==value},
 * {@code field!=value}, all of which must hold. In values, {@code \,}, {@code \=} and {@code \\} escape the
 * separator characters.
 *
 * <p>Which fields a kind supports is the gateway's business: it checks {@link #requirements()} and answers
 * 400 {@code field label not supported: x} itself. Immutable and thread-safe.
 */
public final class FieldSelector {

    /** One term of a field selector. */
    public record FieldRequirement(String field, boolean equal, String value) {
        /** The operator as written in canonical form: {@code =} or {@code !=}. */
        public String operator() {
            return equal ? "=" : "!=";
        }

        public boolean matches(Function<String, String> fieldValue) {
            String actual = fieldValue.apply(field);
            boolean same = value.equals(actual == null ? "" : actual);
            return equal == same;
        }

        @Override
        public String toString() {
            return field + operator() + escapeValue(value);
        }
    }

    private static final FieldSelector EVERYTHING = new FieldSelector(List.of());

    private final List<FieldRequirement> requirements;

    private FieldSelector(List<FieldRequirement> requirements) {
        this.requirements = List.copyOf(requirements);
    }

    public static FieldSelector everything() {
        return EVERYTHING;
    }

    /**
     * Parses a field selector; empty or null selects everything. Terms are held sorted by their text, as
     * Kubernetes holds them.
     *
     * @throws ApiException 400 BadRequest with Kubernetes' message, e.g.
     *                      {@code invalid selector: 'a'; can't understand 'a'}
     */
    public static FieldSelector parse(String selector) {
        if (selector == null || selector.isEmpty()) return EVERYTHING;
        List<String> terms = splitTerms(selector);
        terms.sort(null);
        List<FieldRequirement> requirements = new ArrayList<>();
        for (String term : terms) {
            if (term.isEmpty()) continue;
            FieldRequirement r = splitTerm(term);
            if (r == null) {
                throw ApiException.badRequest("invalid selector: '" + selector + "'; can't understand '" + term + "'");
            }
            requirements.add(r);
        }
        return requirements.isEmpty() ? EVERYTHING : new FieldSelector(requirements);
    }

    /** A selector of exactly one term {@code field=value}. */
    public static FieldSelector oneTerm(String field, String value) {
        return new FieldSelector(List.of(new FieldRequirement(field, true, value)));
    }

    /** Splits on commas that are not escaped by a backslash; escapes stay in the terms. */
    private static List<String> splitTerms(String selector) {
        List<String> terms = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean escaped = false;
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            if (escaped) {
                current.append(c);
                escaped = false;
            } else if (c == '\\') {
                current.append(c);
                escaped = true;
            } else if (c == ',') {
                terms.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        terms.add(current.toString());
        return terms;
    }

    /**
     * Splits at the first operator, {@code !=}, {@code ==} or {@code =} tried in that order at each position;
     * escapes do not protect an operator here (an escaped {@code =} before the real one fails as an unescaped
     * character in the value), exactly as in Kubernetes.
     */
    private static FieldRequirement splitTerm(String term) {
        for (int i = 0; i < term.length(); i++) {
            for (String op : new String[] {"!=", "==", "="}) {
                if (term.startsWith(op, i)) {
                    String field = term.substring(0, i);
                    String value = unescapeValue(term.substring(i + op.length()));
                    return new FieldRequirement(field, !op.equals("!="), value);
                }
            }
        }
        return null;
    }

    private static String unescapeValue(String s) {
        if (s.indexOf('\\') < 0 && s.indexOf(',') < 0 && s.indexOf('=') < 0) return s;
        StringBuilder out = new StringBuilder();
        boolean inSlash = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inSlash) {
                if (c == '\\' || c == ',' || c == '=') {
                    out.append(c);
                } else {
                    throw ApiException.badRequest("invalid field selector: invalid escape sequence: \\" + c);
                }
                inSlash = false;
            } else if (c == '\\') {
                inSlash = true;
            } else if (c == ',' || c == '=') {
                // Go prints the rune as its code point
                throw ApiException.badRequest("invalid field selector: unescaped character in value: " + (int) c);
            } else {
                out.append(c);
            }
        }
        if (inSlash) throw ApiException.badRequest("invalid field selector: invalid escape sequence: \\");
        return out.toString();
    }

    /** Escapes {@code \}, {@code ,} and {@code =} in a value. */
    public static String escapeValue(String value) {
        return value.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=");
    }

    /** Whether an object satisfies every term; {@code fieldValue} gives a field's value (null counts as ""). */
    public boolean matches(Function<String, String> fieldValue) {
        for (FieldRequirement r : requirements) {
            if (!r.matches(fieldValue)) return false;
        }
        return true;
    }

    public List<FieldRequirement> requirements() {
        return requirements;
    }

    /** The fields the terms name, in term order (a field may repeat). */
    public List<String> fields() {
        return requirements.stream().map(FieldRequirement::field).toList();
    }

    public boolean isEmpty() {
        return requirements.isEmpty();
    }

    /** The value this selector requires for {@code field} with {@code =}, if it has such a term. */
    public java.util.Optional<String> requiresExactMatch(String field) {
        return requirements.stream().filter(r -> r.equal() && r.field().equals(field))
                .map(FieldRequirement::value).findFirst();
    }

    @Override
    public String toString() {
        return String.join(",", requirements.stream().map(FieldRequirement::toString).toList());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldSelector other && other.requirements.equals(requirements);
    }

    @Override
    public int hashCode() {
        return requirements.hashCode();
    }
}
