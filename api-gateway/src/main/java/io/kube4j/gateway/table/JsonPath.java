package io.kube4j.gateway.table;

import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSONPath dialect of {@code kubectl} and of CRD {@code additionalPrinterColumns}, restricted
 * to what printer columns use: {@code .field}, {@code ['field.with.dots']}, escaped dots
 * ({@code .metadata.labels.app\.kubernetes\.io/name}), {@code [2]}, {@code [-1]},
 * {@code [1:3]}, {@code [*]}, {@code .*}, recursive descent {@code ..field}, and filters
 * {@code [?(@.type=="Ready")]} with {@code == != < <= > >=} or bare existence {@code [?(@.x)]}.
 * Missing keys yield no result rather than an error, as for printer columns.
 *
 * <p>Instances are immutable and thread-safe; {@link #compile} throws
 * {@link IllegalArgumentException} for a path outside the dialect.
 */
public final class JsonPath {

    private sealed interface Step permits Field, Wildcard, Index, Slice, Recursive, Filter {}

    private record Field(String name) implements Step {}

    private record Wildcard() implements Step {}

    private record Index(int index) implements Step {}

    private record Slice(Integer start, Integer end) implements Step {}

    /** {@code ..name}, or {@code ..*} when name is null. */
    private record Recursive(String name) implements Step {}

    /** {@code [?(@.path op literal)]}; op and literal are null for an existence test. */
    private record Filter(JsonPath path, String op, Object literal) implements Step {}

    private final String text;
    private final List<Step> steps;

    private JsonPath(String text, List<Step> steps) {
        this.text = text;
        this.steps = List.copyOf(steps);
    }

    /** Parses a path such as {@code .status.conditions[?(@.type=="Ready")].status}, braces optional. */
    public static JsonPath compile(String path) {
        if (path == null) {
            throw new IllegalArgumentException("empty JSONPath");
        }
        String p = path.strip();
        if (p.startsWith("{") && p.endsWith("}")) {
            p = p.substring(1, p.length() - 1).strip();
        }
        if (p.startsWith("$")) {
            p = p.substring(1);
        }
        return new JsonPath(path, new Parser(path, p).parse());
    }

    /** Every value the path selects, in document order; empty when nothing matches. */
    public List<JsonNode> find(JsonNode root) {
        List<JsonNode> current = new ArrayList<>();
        if (root != null) {
            current.add(root);
        }
        for (Step step : steps) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode node : current) {
                apply(step, node, next);
            }
            current = next;
            if (current.isEmpty()) {
                break;
            }
        }
        return current;
    }

    @Override
    public String toString() {
        return text;
    }

    private static void apply(Step step, JsonNode node, List<JsonNode> out) {
        switch (step) {
            case Field f -> {
                if (node.isObject() && node.has(f.name())) {
                    out.add(node.get(f.name()));
                }
            }
            case Wildcard w -> {
                if (node.isContainer()) {
                    node.forEach(out::add);
                }
            }
            case Index i -> {
                if (node.isArray()) {
                    int index = i.index() < 0 ? node.size() + i.index() : i.index();
                    if (index >= 0 && index < node.size()) {
                        out.add(node.get(index));
                    }
                }
            }
            case Slice s -> {
                if (node.isArray()) {
                    int size = node.size();
                    int start = clamp(s.start() == null ? 0 : s.start(), size);
                    int end = clamp(s.end() == null ? size : s.end(), size);
                    for (int k = start; k < end; k++) {
                        out.add(node.get(k));
                    }
                }
            }
            case Recursive r -> descend(node, r.name(), out);
            case Filter f -> {
                if (node.isArray()) {
                    for (JsonNode element : node) {
                        if (matches(f, element)) {
                            out.add(element);
                        }
                    }
                }
            }
        }
    }

    private static int clamp(int index, int size) {
        int i = index < 0 ? size + index : index;
        return Math.max(0, Math.min(size, i));
    }

    private static void descend(JsonNode node, String name, List<JsonNode> out) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (name == null || name.equals(e.getKey())) {
                    out.add(e.getValue());
                }
            }
        }
        if (node.isContainer()) {
            for (JsonNode child : node) {
                descend(child, name, out);
            }
        }
    }

    private static boolean matches(Filter f, JsonNode element) {
        List<JsonNode> found = f.path().find(element);
        if (f.op() == null) {
            return !found.isEmpty() && !found.getFirst().isNull()
                    && !(found.getFirst().isBoolean() && !found.getFirst().asBoolean());
        }
        if (found.isEmpty()) {
            return false;
        }
        JsonNode left = found.getFirst();
        Object right = f.literal();
        Integer cmp = null;
        boolean equal;
        if (right instanceof String s && left.isString()) {
            cmp = left.stringValue().compareTo(s);
            equal = cmp == 0;
        } else if (right instanceof BigDecimal d && left.isNumber()) {
            cmp = left.decimalValue().compareTo(d);
            equal = cmp == 0;
        } else if (right instanceof Boolean b && left.isBoolean()) {
            equal = left.asBoolean() == b;
        } else {
            return false;
        }
        return switch (f.op()) {
            case "==" -> equal;
            case "!=" -> !equal;
            case "<" -> cmp != null && cmp < 0;
            case "<=" -> cmp != null && cmp <= 0;
            case ">" -> cmp != null && cmp > 0;
            case ">=" -> cmp != null && cmp >= 0;
            default -> false;
        };
    }

    private static final class Parser {
        private final String original;
        private final String s;
        private int pos;

        Parser(String original, String s) {
            this.original = original;
            this.s = s;
        }

        List<Step> parse() {
            List<Step> steps = new ArrayList<>();
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '.') {
                    pos++;
                    if (pos < s.length() && s.charAt(pos) == '.') {
                        pos++;
                        if (peek('*')) {
                            pos++;
                            steps.add(new Recursive(null));
                        } else {
                            steps.add(new Recursive(fieldName()));
                        }
                    } else if (pos >= s.length()) {
                        break; // "." alone selects the root
                    } else if (peek('*')) {
                        pos++;
                        steps.add(new Wildcard());
                    } else if (peek('[')) {
                        continue;
                    } else {
                        steps.add(new Field(fieldName()));
                    }
                } else if (c == '[') {
                    steps.add(bracket());
                } else if (pos == 0 && c == '@') {
                    pos++;
                } else if (pos == 0) {
                    steps.add(new Field(fieldName()));
                } else {
                    throw error("unexpected '" + c + "'");
                }
            }
            return steps;
        }

        private boolean peek(char c) {
            return pos < s.length() && s.charAt(pos) == c;
        }

        private String fieldName() {
            StringBuilder name = new StringBuilder();
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '\\' && pos + 1 < s.length()) {
                    name.append(s.charAt(pos + 1));
                    pos += 2;
                    continue;
                }
                if (c == '.' || c == '[' || c == ']' || c == ' ' || c == '=' || c == '!' || c == '<' || c == '>'
                        || c == ')' || c == '(' || c == ',') {
                    break;
                }
                name.append(c);
                pos++;
            }
            if (name.isEmpty()) {
                throw error("empty field name");
            }
            return name.toString();
        }

        private Step bracket() {
            pos++; // '['
            int close;
            Step step;
            if (peek('\'') || peek('"')) {
                String name = quoted();
                expect(']');
                return new Field(name);
            }
            if (peek('*')) {
                pos++;
                expect(']');
                return new Wildcard();
            }
            if (peek('?')) {
                pos++;
                expect('(');
                int end = filterEnd();
                String expression = s.substring(pos, end).strip();
                pos = end + 1;
                expect(']');
                return filter(expression);
            }
            close = s.indexOf(']', pos);
            if (close < 0) {
                throw error("unclosed [");
            }
            String inner = s.substring(pos, close).strip();
            pos = close + 1;
            try {
                if (inner.contains(":")) {
                    String[] parts = inner.split(":", -1);
                    if (parts.length > 3) {
                        throw error("bad slice");
                    }
                    if (parts.length == 3 && !parts[2].isBlank() && !parts[2].strip().equals("1")) {
                        throw error("slice steps are not supported");
                    }
                    step = new Slice(parts[0].isBlank() ? null : Integer.parseInt(parts[0].strip()),
                            parts[1].isBlank() ? null : Integer.parseInt(parts[1].strip()));
                } else {
                    step = new Index(Integer.parseInt(inner));
                }
            } catch (NumberFormatException e) {
                throw error("bad array index '" + inner + "'");
            }
            return step;
        }

        /** The position of the ')' that closes a filter, skipping quoted text. */
        private int filterEnd() {
            int depth = 1;
            char quote = 0;
            for (int i = pos; i < s.length(); i++) {
                char c = s.charAt(i);
                if (quote != 0) {
                    if (c == quote) quote = 0;
                } else if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '(') {
                    depth++;
                } else if (c == ')' && --depth == 0) {
                    return i;
                }
            }
            throw error("unclosed filter");
        }

        private Filter filter(String expression) {
            String[] ops = {"==", "!=", "<=", ">=", "<", ">"};
            int at = -1;
            String op = null;
            char quote = 0;
            for (int i = 0; i < expression.length() && op == null; i++) {
                char c = expression.charAt(i);
                if (quote != 0) {
                    if (c == quote) quote = 0;
                    continue;
                }
                if (c == '\'' || c == '"') {
                    quote = c;
                    continue;
                }
                for (String candidate : ops) {
                    if (expression.startsWith(candidate, i)) {
                        at = i;
                        op = candidate;
                        break;
                    }
                }
            }
            if (op == null) {
                return new Filter(relative(expression), null, null);
            }
            String left = expression.substring(0, at).strip();
            String right = expression.substring(at + op.length()).strip();
            return new Filter(relative(left), op, literal(right));
        }

        private JsonPath relative(String path) {
            if (!path.startsWith("@")) {
                throw error("a filter must test @");
            }
            return new JsonPath(path, new Parser(original, path.substring(1)).parse());
        }

        private Object literal(String text) {
            if (text.length() >= 2 && (text.charAt(0) == '"' || text.charAt(0) == '\'')
                    && text.charAt(text.length() - 1) == text.charAt(0)) {
                return text.substring(1, text.length() - 1);
            }
            if (text.equals("true") || text.equals("false")) {
                return Boolean.parseBoolean(text);
            }
            try {
                return new BigDecimal(text);
            } catch (NumberFormatException e) {
                throw error("unrecognized literal '" + text + "'");
            }
        }

        private String quoted() {
            char quote = s.charAt(pos++);
            StringBuilder out = new StringBuilder();
            while (pos < s.length() && s.charAt(pos) != quote) {
                char c = s.charAt(pos);
                if (c == '\\' && pos + 1 < s.length()) {
                    out.append(s.charAt(pos + 1));
                    pos += 2;
                } else {
                    out.append(c);
                    pos++;
                }
            }
            if (pos >= s.length()) {
                throw error("unclosed quote");
            }
            pos++;
            return out.toString();
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("unrecognized JSONPath \"" + original + "\": " + what);
        }
    }
}
