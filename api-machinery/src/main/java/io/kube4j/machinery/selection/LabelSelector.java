package io.kube4j.machinery.selection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.validation.NameValidation;
import tools.jackson.databind.JsonNode;

/**
 * A label selector: the conjunction of its requirements. Built from the query-string syntax of
 * {@code ?labelSelector=} ({@link #parse}) or from a {@code LabelSelector} object of a spec ({@link #fromJson}).
 *
 * <p>Immutable and thread-safe. The empty selector ({@link #everything()}) matches every object;
 * {@link #nothing()} (what a null {@code LabelSelector} object means) matches none.
 */
public final class LabelSelector {

    private static final LabelSelector EVERYTHING = new LabelSelector(List.of(), false);
    private static final LabelSelector NOTHING = new LabelSelector(List.of(), true);

    private final List<Requirement> requirements;
    private final boolean nothing;

    private LabelSelector(List<Requirement> requirements, boolean nothing) {
        this.requirements = List.copyOf(requirements);
        this.nothing = nothing;
    }

    public static LabelSelector everything() {
        return EVERYTHING;
    }

    public static LabelSelector nothing() {
        return NOTHING;
    }

    /** A selector of the given requirements, held sorted by key as Kubernetes holds them. */
    public static LabelSelector of(List<Requirement> requirements) {
        List<Requirement> sorted = new ArrayList<>(requirements);
        sorted.sort(Comparator.comparing(Requirement::key));
        return sorted.isEmpty() ? EVERYTHING : new LabelSelector(sorted, false);
    }

    /**
     * Parses the query-string syntax: comma-separated requirements {@code k=v}, {@code k==v}, {@code k!=v},
     * {@code k in (a,b)}, {@code k notin (a)}, {@code k}, {@code !k}, {@code k>1}, {@code k<1}; whitespace is
     * allowed around tokens. An empty or blank string selects everything.
     *
     * @throws ApiException 400 BadRequest with Kubernetes' parser message
     */
    public static LabelSelector parse(String selector) {
        if (selector == null) return EVERYTHING;
        try {
            return of(new Parser(selector).parse());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /**
     * The selector a {@code LabelSelector} object ({@code {matchLabels, matchExpressions}}) stands for: null or a
     * missing node selects nothing, an empty object everything.
     *
     * @throws ApiException 400 BadRequest when the object is malformed; {@link #validate} gives field causes instead
     */
    public static LabelSelector fromJson(JsonNode selector) {
        if (selector == null || selector.isNull() || selector.isMissingNode()) return NOTHING;
        if (!selector.isObject()) throw ApiException.badRequest("a label selector must be an object");
        List<Requirement> requirements = new ArrayList<>();
        try {
            JsonNode matchLabels = selector.get("matchLabels");
            if (matchLabels != null && matchLabels.isObject()) {
                for (Map.Entry<String, JsonNode> e : matchLabels.properties()) {
                    requirements.add(Requirement.of(e.getKey(), Operator.EQUALS, List.of(e.getValue().asString())));
                }
            }
            JsonNode expressions = selector.get("matchExpressions");
            if (expressions != null && expressions.isArray()) {
                for (JsonNode expression : expressions) {
                    requirements.add(expressionRequirement(expression));
                }
            }
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        return of(requirements);
    }

    private static Requirement expressionRequirement(JsonNode expression) {
        String key = expression.path("key").asString("");
        String op = expression.path("operator").asString("");
        Operator operator = switch (op) {
            case "In" -> Operator.IN;
            case "NotIn" -> Operator.NOT_IN;
            case "Exists" -> Operator.EXISTS;
            case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
            default -> throw new IllegalArgumentException("\"" + op + "\" is not a valid label selector operator");
        };
        List<String> values = new ArrayList<>();
        expression.path("values").values().forEach(v -> values.add(v.asString()));
        return Requirement.of(key, operator, values);
    }

    /**
     * Validates a {@code LabelSelector} object as kube-apiserver validates one inside a spec.
     *
     * @param field the selector's path, e.g. {@code spec.selector}
     * @return the causes, empty when valid
     */
    public static List<StatusCause> validate(JsonNode selector, String field) {
        List<StatusCause> causes = new ArrayList<>();
        if (selector == null || selector.isNull() || selector.isMissingNode()) return causes;
        JsonNode matchLabels = selector.get("matchLabels");
        if (matchLabels != null && matchLabels.isObject()) {
            String labelsField = field + ".matchLabels";
            for (Map.Entry<String, JsonNode> e : matchLabels.properties()) {
                causes.addAll(NameValidation.validateLabelName(e.getKey(), labelsField));
                String value = e.getValue().asString("");
                NameValidation.isValidLabelValue(value)
                        .forEach(m -> causes.add(StatusCause.invalid(labelsField, value, m)));
            }
        }
        JsonNode expressions = selector.get("matchExpressions");
        if (expressions != null && expressions.isArray()) {
            for (int i = 0; i < expressions.size(); i++) {
                causes.addAll(validateExpression(expressions.get(i), field + ".matchExpressions[" + i + "]"));
            }
        }
        return causes;
    }

    private static List<StatusCause> validateExpression(JsonNode expression, String field) {
        List<StatusCause> causes = new ArrayList<>();
        String op = expression.path("operator").asString("");
        JsonNode values = expression.path("values");
        int count = values.isArray() ? values.size() : 0;
        switch (op) {
            case "In", "NotIn" -> {
                if (count == 0) {
                    causes.add(StatusCause.required(field + ".values",
                            "must be specified when `operator` is 'In' or 'NotIn'"));
                }
            }
            case "Exists", "DoesNotExist" -> {
                if (count > 0) {
                    causes.add(StatusCause.forbidden(field + ".values",
                            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                }
            }
            default -> causes.add(StatusCause.invalid(field + ".operator", op, "not a valid selector operator"));
        }
        String key = expression.path("key").asString("");
        causes.addAll(NameValidation.validateLabelName(key, field + ".key"));
        for (int i = 0; i < count; i++) {
            String value = values.get(i).asString("");
            String valueField = field + ".values[" + i + "]";
            NameValidation.isValidLabelValue(value).forEach(m -> causes.add(StatusCause.invalid(valueField, value, m)));
        }
        return causes;
    }

    /** Whether the labels satisfy every requirement. */
    public boolean matches(Map<String, String> labels) {
        if (nothing) return false;
        for (Requirement r : requirements) {
            if (!r.matches(labels == null ? Map.of() : labels)) return false;
        }
        return true;
    }

    /** Whether this selector matches everything (no requirement). */
    public boolean isEmpty() {
        return !nothing && requirements.isEmpty();
    }

    public List<Requirement> requirements() {
        return requirements;
    }

    /** The canonical query-string form: requirements sorted by key, joined by commas. */
    @Override
    public String toString() {
        return String.join(",", requirements.stream().map(Requirement::toString).toList());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSelector other && other.nothing == nothing
                && other.requirements.equals(requirements);
    }

    @Override
    public int hashCode() {
        return requirements.hashCode() * 31 + Boolean.hashCode(nothing);
    }

    // ---- the query-string parser, token for token as Kubernetes' labels.Parse ---------------------------------

    private enum Token {
        IDENTIFIER, IN, NOT_IN, EQUALS, DOUBLE_EQUALS, NOT_EQUALS, GREATER_THAN, LESS_THAN, DOES_NOT_EXIST,
        OPEN_PAR, CLOSED_PAR, COMMA, END, ERROR
    }

    private record Lexeme(Token token, String literal) {}

    private static final class Parser {
        private final List<Lexeme> lexemes = new ArrayList<>();
        private int position;

        Parser(String input) {
            Lexer lexer = new Lexer(input);
            while (true) {
                Lexeme l = lexer.next();
                lexemes.add(l);
                if (l.token() == Token.END || l.token() == Token.ERROR) break;
            }
        }

        /** In value position, the keywords {@code in} and {@code notin} are plain identifiers. */
        private Lexeme lookahead(boolean values) {
            return contextual(lexemes.get(position), values);
        }

        private Lexeme consume(boolean values) {
            Lexeme l = lexemes.get(position);
            if (position < lexemes.size() - 1) position++;
            return contextual(l, values);
        }

        private static Lexeme contextual(Lexeme l, boolean values) {
            if (values && (l.token() == Token.IN || l.token() == Token.NOT_IN)) {
                return new Lexeme(Token.IDENTIFIER, l.literal());
            }
            return l;
        }

        List<Requirement> parse() {
            List<Requirement> requirements = new ArrayList<>();
            while (true) {
                Lexeme next = lookahead(true);
                switch (next.token()) {
                    case IDENTIFIER, DOES_NOT_EXIST -> {
                        try {
                            requirements.add(parseRequirement());
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException("unable to parse requirement: " + e.getMessage());
                        }
                        Lexeme after = consume(true);
                        switch (after.token()) {
                            case END -> {
                                return requirements;
                            }
                            case COMMA -> {
                                Lexeme following = lookahead(true);
                                if (following.token() != Token.IDENTIFIER && following.token() != Token.DOES_NOT_EXIST) {
                                    throw new IllegalArgumentException("found '" + following.literal()
                                            + "', expected: identifier after ','");
                                }
                            }
                            default -> throw new IllegalArgumentException("found '" + after.literal()
                                    + "', expected: ',' or 'end of string'");
                        }
                    }
                    case END -> {
                        return requirements;
                    }
                    default -> throw new IllegalArgumentException("found '" + next.literal()
                            + "', expected: !, identifier, or 'end of string'");
                }
            }
        }

        private Requirement parseRequirement() {
            Operator operator = null;
            Lexeme l = consume(true);
            if (l.token() == Token.DOES_NOT_EXIST) {
                operator = Operator.DOES_NOT_EXIST;
                l = consume(true);
            }
            if (l.token() != Token.IDENTIFIER) {
                throw new IllegalArgumentException("found '" + l.literal() + "', expected: identifier");
            }
            String key = l.literal();
            List<String> keyErrors = NameValidation.isQualifiedName(key);
            if (!keyErrors.isEmpty()) {
                // the parser validates keys against a nil field path, which Kubernetes prints as <nil>
                throw new IllegalArgumentException("<nil>: " + StatusCause.invalid(null, key,
                        String.join("; ", keyErrors)).message());
            }
            Token after = lookahead(true).token();
            if (after == Token.END || after == Token.COMMA) {
                if (operator == null) operator = Operator.EXISTS;
            }
            if (operator == Operator.EXISTS || operator == Operator.DOES_NOT_EXIST) {
                return Requirement.of(key, operator, List.of());
            }
            operator = parseOperator();
            List<String> values = switch (operator) {
                case IN, NOT_IN -> parseValues();
                default -> parseExactValue();
            };
            return Requirement.of(key, operator, values);
        }

        private Operator parseOperator() {
            Lexeme l = consume(false);
            return switch (l.token()) {
                case IN -> Operator.IN;
                case EQUALS -> Operator.EQUALS;
                case DOUBLE_EQUALS -> Operator.DOUBLE_EQUALS;
                case GREATER_THAN -> Operator.GREATER_THAN;
                case LESS_THAN -> Operator.LESS_THAN;
                case NOT_IN -> Operator.NOT_IN;
                case NOT_EQUALS -> Operator.NOT_EQUALS;
                default -> throw new IllegalArgumentException("found '" + l.literal()
                        + "', expected: in, notin, =, ==, !=, gt, lt");
            };
        }

        private List<String> parseValues() {
            Lexeme l = consume(true);
            if (l.token() != Token.OPEN_PAR) {
                throw new IllegalArgumentException("found '" + l.literal() + "' expected: '('");
            }
            Lexeme next = lookahead(true);
            switch (next.token()) {
                case IDENTIFIER, COMMA -> {
                    List<String> values = parseIdentifiers();
                    if (consume(true).token() != Token.CLOSED_PAR) {
                        throw new IllegalArgumentException("found '" + next.literal() + "', expected: ')'");
                    }
                    return values;
                }
                case CLOSED_PAR -> {
                    consume(true);
                    return List.of("");
                }
                default -> throw new IllegalArgumentException("found '" + next.literal()
                        + "', expected: ',', ')' or identifier");
            }
        }

        private List<String> parseIdentifiers() {
            List<String> values = new ArrayList<>();
            while (true) {
                Lexeme l = consume(true);
                switch (l.token()) {
                    case IDENTIFIER -> {
                        values.add(l.literal());
                        Lexeme next = lookahead(true);
                        switch (next.token()) {
                            case COMMA -> {
                                // another value follows
                            }
                            case CLOSED_PAR -> {
                                return values;
                            }
                            default -> throw new IllegalArgumentException("found '" + next.literal()
                                    + "', expected: ',' or ')'");
                        }
                    }
                    case COMMA -> {
                        if (values.isEmpty()) values.add("");
                        Token next = lookahead(true).token();
                        if (next == Token.CLOSED_PAR) {
                            values.add("");
                            return values;
                        }
                        if (next == Token.COMMA) {
                            consume(true);
                            values.add("");
                        }
                    }
                    default -> throw new IllegalArgumentException("found '" + l.literal()
                            + "', expected: ',', or identifier");
                }
            }
        }

        private List<String> parseExactValue() {
            Token next = lookahead(true).token();
            if (next == Token.END || next == Token.COMMA) return List.of("");
            Lexeme l = consume(true);
            if (l.token() == Token.IDENTIFIER) return List.of(l.literal());
            throw new IllegalArgumentException("found '" + l.literal() + "', expected: identifier");
        }
    }

    private static final class Lexer {
        private final String input;
        private int pos;

        Lexer(String input) {
            this.input = input;
        }

        private static boolean isWhitespace(char c) {
            return c == ' ' || c == '\t' || c == '\r' || c == '\n';
        }

        private static boolean isSpecial(char c) {
            return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
        }

        Lexeme next() {
            while (pos < input.length() && isWhitespace(input.charAt(pos))) pos++;
            if (pos >= input.length()) return new Lexeme(Token.END, "");
            char c = input.charAt(pos);
            if (isSpecial(c)) return special();
            int start = pos;
            while (pos < input.length() && !isWhitespace(input.charAt(pos)) && !isSpecial(input.charAt(pos))) pos++;
            String word = input.substring(start, pos);
            return switch (word) {
                case "in" -> new Lexeme(Token.IN, word);
                case "notin" -> new Lexeme(Token.NOT_IN, word);
                default -> new Lexeme(Token.IDENTIFIER, word);
            };
        }

        /** The longest run of special characters that is an operator. */
        private Lexeme special() {
            int start = pos;
            Lexeme last = null;
            int lastEnd = pos;
            while (pos < input.length() && isSpecial(input.charAt(pos))) {
                pos++;
                Token t = operator(input.substring(start, pos));
                if (t != null) {
                    last = new Lexeme(t, input.substring(start, pos));
                    lastEnd = pos;
                } else {
                    break;
                }
            }
            if (last == null) {
                return new Lexeme(Token.ERROR, "error expected: keyword found '" + input.substring(start, pos) + "'");
            }
            pos = lastEnd;
            return last;
        }

        private static Token operator(String s) {
            return switch (s) {
                case "!" -> Token.DOES_NOT_EXIST;
                case "!=" -> Token.NOT_EQUALS;
                case "(" -> Token.OPEN_PAR;
                case ")" -> Token.CLOSED_PAR;
                case "," -> Token.COMMA;
                case "=" -> Token.EQUALS;
                case "==" -> Token.DOUBLE_EQUALS;
                case ">" -> Token.GREATER_THAN;
                case "<" -> Token.LESS_THAN;
                default -> null;
            };
        }
    }
}
